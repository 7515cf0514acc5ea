// Run by the build (exec-maven-plugin, with the JDK 25 that Maven's toolchains discovery found) in
// single-file source mode: writes that JDK's java binary to the file named by the argument, so that
// the ./greenhub launcher runs the CLI with the JDK the build used.
void main(String[] args) throws Exception {
    String binary = ProcessHandle.current().info().command().orElse(
            System.getProperty("java.home") + java.io.File.separator + "bin" + java.io.File.separator + "java");
    java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), binary + System.lineSeparator());
}
