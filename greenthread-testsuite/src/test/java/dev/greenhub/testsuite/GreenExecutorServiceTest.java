package dev.greenhub.testsuite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.greenhub.Event;
import dev.greenhub.Green;
import dev.greenhub.GreenExecutorService;
import dev.greenhub.Scheduler;
import dev.greenhub.nativeio.Fds;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The green-thread-per-task executor: any thread submits, each task a green thread on the executor's hub. */
class GreenExecutorServiceTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void tasksFromManyThreadsRunAtTheSameTimeEachInAGreenThreadOfTheExecutorsHub(String hub) throws Exception {
        int tasks = 200;
        GreenExecutorService executor = GreenExecutorService.open(hub);
        AtomicInteger started = new AtomicInteger();
        Event<Void> allStarted = new Event<>();
        Set<String> where = ConcurrentHashMap.newKeySet();
        AtomicInteger finished = new AtomicInteger();
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            submitters.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < tasks / 4; i++) {
                    executor.execute(() -> {
                        where.add(Green.inGreenThread() + " " + (Scheduler.current() == executor.scheduler())
                                + " " + Scheduler.current().hubName());
                        if (started.incrementAndGet() == tasks) {
                            allStarted.send(null);
                        }
                        allStarted.await(); // only if all 200 run at once does any of them get past this
                        finished.incrementAndGet();
                    });
                }
            }));
        }
        for (Thread t : submitters) {
            t.join(LONG.toMillis());
        }
        executor.shutdown();
        assertThat(executor.awaitTermination(LONG)).as("all tasks were waiting for each other").isTrue();
        assertThat(finished).hasValue(tasks);
        assertThat(where).containsExactly("true true " + hub);
        assertThat(executor.isTerminated()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void submitKeepsResultsAndExceptionsInFuturesAndInvokeAllWaitsForEach(String hub) throws Exception {
        try (GreenExecutorService executor = GreenExecutorService.open(hub)) {
            Future<Integer> answer = executor.submit(() -> {
                Green.sleep(Duration.ofMillis(10));
                return 42;
            });
            Future<Object> failure = executor.submit(() -> {
                throw new IllegalArgumentException("bad task");
            });
            List<Callable<Integer>> many = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                many.add(() -> {
                    Green.sleep(Duration.ofMillis(1));
                    return n * n;
                });
            }
            List<Integer> squares = new ArrayList<>();
            for (Future<Integer> f : executor.invokeAll(many)) {
                squares.add(f.get());
            }
            assertThat(answer.get(LONG.toSeconds(), TimeUnit.SECONDS)).isEqualTo(42);
            assertThatThrownBy(() -> failure.get(LONG.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("bad task");
            assertThat(squares).hasSize(50).startsWith(0, 1, 4, 9).endsWith(49 * 49);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void shutdownRefusesNewTasksAndLetsTheSubmittedOnesFinish(String hub) throws Exception {
        GreenExecutorService executor = GreenExecutorService.open(hub);
        Event<String> release = new Event<>();
        CompletableFuture<String> seen = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        executor.execute(() -> {
            waiting.countDown();
            seen.complete(release.await());
        });
        assertThat(waiting.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertThatThrownBy(() -> executor.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("is shut down and takes no new tasks");
        assertThat(executor.isTerminated()).as("a task still waits").isFalse();
        release.send("released");
        assertThat(executor.awaitTermination(LONG)).isTrue();
        assertThat(seen).isCompletedWithValue("released");
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void shutdownNowKillsTheRunningTasksAndReturnsTheOnesNotStarted(String hub) throws Exception {
        GreenExecutorService executor = GreenExecutorService.open(hub);
        AtomicBoolean hold = new AtomicBoolean(true);
        CountDownLatch holding = new CountDownLatch(1);
        List<String> outcomes = new ArrayList<>();
        executor.execute(() -> {
            try {
                new Event<Void>().await(); // never sent: only a kill ends this
                outcomes.add("parked task returned");
            } finally {
                outcomes.add("parked task ended");
            }
        });
        executor.execute(() -> {
            holding.countDown();
            while (hold.get()) { // keeps the hub busy, so what is submitted now cannot start
                Thread.onSpinWait();
            }
        });
        assertThat(holding.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Runnable late1 = () -> outcomes.add("late1 ran");
        Runnable late2 = () -> outcomes.add("late2 ran");
        executor.execute(late1);
        executor.execute(late2);
        List<Runnable> notStarted = executor.shutdownNow();
        hold.set(false);
        assertThat(executor.awaitTermination(LONG)).isTrue();
        assertThat(notStarted).containsExactly(late1, late2);
        assertThat(outcomes).containsExactly("parked task ended");
    }

    @ParameterizedTest
    @MethodSource("dev.greenhub.testsuite.EveryHub#hubs")
    void anExecutorReleasesItsHubAndThreadWhenItTerminates(String hub) throws Exception {
        int fdsBefore = Fds.openFdCount();
        for (int i = 0; i < 20; i++) {
            try (GreenExecutorService executor = GreenExecutorService.open(hub)) {
                executor.submit(() -> Green.sleep(Duration.ofMillis(1))).get();
            }
        }
        assertThat(Fds.openFdCount()).isEqualTo(fdsBefore);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                t -> t.getName().startsWith("greenhub-executor-") && t.isAlive());
    }

    @Test
    void aJdkHttpServerServesRequestsConcurrentlyOnGreenThreads() throws Exception {
        int requests = 40;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        AtomicInteger inHandler = new AtomicInteger();
        Event<Void> allIn = new Event<>();
        try (GreenExecutorService executor = GreenExecutorService.open()) {
            server.createContext("/", exchange -> {
                boolean green = Green.inGreenThread();
                if (inHandler.incrementAndGet() == requests) {
                    allIn.send(null);
                }
                allIn.await(); // every request is in a handler at once, or none gets past this
                byte[] body = ("green " + green + " " + exchange.getRequestURI().getPath())
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(executor);
            server.start();
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(LONG).build()) {
                List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/r" + i);
                    sent.add(client.sendAsync(HttpRequest.newBuilder(uri).timeout(LONG).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (int i = 0; i < requests; i++) {
                    HttpResponse<String> response = sent.get(i).get(LONG.toSeconds(), TimeUnit.SECONDS);
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo("green true /r" + i);
                }
            }
        } finally {
            server.stop(0);
        }
    }
}
