package dev.greenhub.testsuite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made at test time by the JDK's own keytool (java.home/bin/keytool: the
 * JDK has no public API to issue a certificate), once per JVM, in a temporary directory. No
 * network.
 */
final class TlsCerts {
    static final char[] PASSWORD = "changeit".toCharArray();

    /** CN=localhost, SAN localhost, 127.0.0.1, ::1; trusted by {@link #client}. */
    final KeyStore good;
    /** The same names with another key, trusted by nobody. */
    final KeyStore untrusted;
    /** Trusted, but only for the name "example.invalid". */
    final KeyStore wrongName;
    /** Signed by {@link #ca} (which {@link #client} trusts) but expired: valid for one day, ten days ago. */
    final KeyStore expired;
    /** A CA certificate, trusted by {@link #client}. */
    final Certificate ca;

    private static TlsCerts instance;

    private TlsCerts(Path dir) throws Exception {
        good = make(dir, "good", "dns:localhost,ip:127.0.0.1,ip:::1", null);
        untrusted = make(dir, "untrusted", "dns:localhost,ip:127.0.0.1,ip:::1", null);
        wrongName = make(dir, "wrongname", "dns:example.invalid", null);
        // A self-signed certificate trusted directly is a trust anchor, whose dates PKIX does not
        // check: an expired certificate has to be issued by a CA.
        KeyStore caStore = make(dir, "ca", "dns:greenhub-test-ca.invalid", null, "bc:c");
        ca = caStore.getCertificate("ca");
        make(dir, "expired", "dns:localhost,ip:127.0.0.1,ip:::1", null);
        Path caFile = dir.resolve("ca.p12");
        Path leafFile = dir.resolve("expired.p12");
        keytool("-certreq", "-alias", "expired", "-keystore", leafFile.toString(), "-storepass",
                new String(PASSWORD), "-file", dir.resolve("expired.csr").toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caFile.toString(), "-storepass", new String(PASSWORD),
                "-infile", dir.resolve("expired.csr").toString(), "-outfile", dir.resolve("expired.cer").toString(),
                "-startdate", "-10d", "-validity", "1", "-ext", "san=dns:localhost,ip:127.0.0.1,ip:::1");
        keytool("-exportcert", "-alias", "ca", "-keystore", caFile.toString(), "-storepass", new String(PASSWORD),
                "-rfc", "-file", dir.resolve("ca.cer").toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", dir.resolve("ca.cer").toString(),
                "-keystore", leafFile.toString(), "-storepass", new String(PASSWORD));
        keytool("-importcert", "-alias", "expired", "-file", dir.resolve("expired.cer").toString(),
                "-keystore", leafFile.toString(), "-storepass", new String(PASSWORD), "-keypass",
                new String(PASSWORD));
        expired = load(leafFile);
        expired.deleteEntry("ca"); // the server presents the chain, not a trusted entry
    }

    static synchronized TlsCerts get() throws Exception {
        if (instance == null) {
            Path dir = Files.createTempDirectory("greenhub-tls");
            try {
                instance = new TlsCerts(dir);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        }
        return instance;
    }

    private static KeyStore make(Path dir, String alias, String san, String startDate) throws Exception {
        return make(dir, alias, san, startDate, null);
    }

    private static KeyStore make(Path dir, String alias, String san, String startDate, String extraExt)
            throws Exception {
        Path file = dir.resolve(alias + ".p12");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + switch (alias) {
                    case "wrongname" -> "example.invalid";
                    case "ca" -> "greenhub test CA";
                    default -> "localhost";
                },
                "-ext", "san=" + san, "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        if (extraExt != null) {
            cmd.addAll(List.of("-ext", extraExt));
        }
        if (startDate != null) {
            cmd.addAll(List.of("-startdate", startDate, "-validity", "1"));
        } else {
            cmd.addAll(List.of("-validity", "2"));
        }
        run(cmd);
        return load(file);
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        run(cmd);
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + cmd + ": " + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** A server context presenting the certificate of {@code keys}. */
    static SSLContext server(KeyStore keys) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** A client context trusting good, wrongName and ca (not untrusted). */
    SSLContext client() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (KeyStore ks : List.of(good, wrongName)) {
            String alias = ks.aliases().nextElement();
            Certificate cert = ks.getCertificate(alias);
            trust.setCertificateEntry("trusted" + i++, cert);
        }
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}
