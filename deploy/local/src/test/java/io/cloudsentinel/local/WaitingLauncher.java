package io.cloudsentinel.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code up} without PostgreSQL, Kafka and the services, for {@link LauncherStopIT}: the same lifecycle, with a stop
 * action that only says it ran. {@code fail} ends it as a part that did not come up ends {@code up}.
 */
public final class WaitingLauncher {

    private WaitingLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Path local = Files.createDirectories(Path.of(args[0]).resolve(".local"));
        LauncherLifecycle lifecycle = LauncherLifecycle.begin(local,
                () -> System.out.println("stopped what it started"));
        if (args.length > 1 && args[1].equals("fail")) {
            System.exit(1);
        }
        System.out.println("waiting");
        lifecycle.awaitStopped();
        System.exit(0);
    }
}
