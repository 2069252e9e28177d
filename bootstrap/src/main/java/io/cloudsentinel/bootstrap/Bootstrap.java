package io.cloudsentinel.bootstrap;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The bootstrap image's command line: {@code database} applies the roles-and-databases script, {@code topics} creates
 * the suite's topics. Everything comes from the environment (secrets by reference in Kubernetes), nothing from flags,
 * so that no password shows in a process list or a pod spec's args.
 */
public final class Bootstrap {

    /** Exit status when the environment is incomplete or malformed: nothing was attempted. */
    public static final int EXIT_CONFIG = 2;
    /** Exit status when the server refused or could not be reached. */
    public static final int EXIT_FAILED = 1;

    static final String USAGE = """
            usage: bootstrap database | topics
              database  roles cs_owner, cs_app, cs_system and the databases, from cloudsentinel-bootstrap.sql
                        CS_BOOTSTRAP_ADMIN_JDBC_URL, CS_BOOTSTRAP_ADMIN_USER, CS_BOOTSTRAP_ADMIN_PASSWORD,
                        CS_BOOTSTRAP_OWNER_PASSWORD, CS_BOOTSTRAP_APP_PASSWORD, CS_BOOTSTRAP_DATABASES (a,b,c)
              topics    the topics that do not exist yet
                        KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG,
                        KAFKA_SSL_TRUSTSTORE_TYPE, KAFKA_SSL_TRUSTSTORE_LOCATION (any KAFKA_X_Y admin setting x.y),
                        CS_BOOTSTRAP_TOPICS (name:partitions[:retentionMs],...), CS_BOOTSTRAP_REPLICATION_FACTOR (3)
            """;

    /** One subcommand, parsed from the environment before anything is contacted. */
    sealed interface Command permits DatabaseCommand, TopicsCommand {
        void run(PrintStream out) throws Exception;
    }

    record DatabaseCommand(DatabaseTarget target) implements Command {
        @Override
        public void run(PrintStream out) throws Exception {
            out.println("bootstrap database: " + target);
            DatabaseBootstrap.apply(target.adminJdbcUrl(), target.adminUser(), target.adminPassword(),
                    target.settings());
            out.println("bootstrap database: done");
        }
    }

    record TopicsCommand(TopicPlan plan) implements Command {
        @Override
        public void run(PrintStream out) throws Exception {
            out.println("bootstrap topics: " + plan);
            List<String> created = KafkaTopics.create(plan);
            out.println("bootstrap topics: created " + created + ", the others existed already");
        }
    }

    private Bootstrap() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Command command;
        try {
            command = parse(args, env);
        } catch (BootstrapConfigException e) {
            err.println("bootstrap: " + e.getMessage());
            err.print(USAGE);
            return EXIT_CONFIG;
        }
        try {
            command.run(out);
            return 0;
        } catch (Exception e) {
            err.println("bootstrap " + (command instanceof DatabaseCommand ? "database" : "topics") + " failed: " + e);
            return EXIT_FAILED;
        }
    }

    static Command parse(String[] args, Map<String, String> env) {
        if (args.length != 1) {
            throw new BootstrapConfigException("expected one subcommand, got " + args.length);
        }
        return switch (args[0]) {
            case "database" -> new DatabaseCommand(DatabaseTarget.fromEnv(env));
            case "topics" -> new TopicsCommand(TopicPlan.fromEnv(env));
            default -> throw new BootstrapConfigException("unknown subcommand '" + args[0] + "'");
        };
    }
}
