package io.cloudsentinel.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cloudsentinel.bootstrap.KafkaTopics;
import io.cloudsentinel.bootstrap.TopicPlan;
import io.cloudsentinel.bootstrap.TopicSpec;
import io.cloudsentinel.local.LaunchFailure;
import io.cloudsentinel.local.Stack;
import io.cloudsentinel.platform.kafka.Topics;

/**
 * A place of its own on the stack for one service's upgrade from the previous release: a database bootstrapped as the
 * service's is, and the suite's topics under the prefix {@code upgrade.} with consumer groups of their own, so that
 * the rehearsal's processes neither take the suite's records nor write into its data.
 */
final class UpgradeRehearsal {

    static final String PREFIX = "upgrade.";
    private static final Pattern GROUP_ID = Pattern.compile(
            "^mp\\.messaging\\.incoming\\.([a-z0-9-]+)\\.group\\.id=(.+)$", Pattern.MULTILINE);

    final String service;
    final String database;
    private final Map<String, String> environment;

    private UpgradeRehearsal(String service, String database, Map<String, String> environment) {
        this.service = service;
        this.database = database;
        this.environment = environment;
    }

    /**
     * Creates the database and the topics. The consumer groups are the previous release's own, read from its
     * {@code application.properties} in {@code sources}, each prefixed.
     */
    static UpgradeRehearsal prepare(Stack stack, String service, Path sources) throws Exception {
        String database = "upgrade_" + service.replace("-service", "").replace('-', '_');
        stack.createDatabase(database);
        Map<String, String> environment = new HashMap<>();
        Topics.CONFIG_KEYS.forEach((key, topic) -> environment.put(variable(key), PREFIX + topic));
        Matcher groups = GROUP_ID.matcher(properties(sources, service));
        while (groups.find()) {
            environment.put(variable("mp.messaging.incoming." + groups.group(1) + ".group.id"),
                    PREFIX + groups.group(2).strip());
        }
        KafkaTopics.create(new TopicPlan(Map.of("bootstrap.servers", stack.kafkaBootstrapServers()),
                Topics.ALL.stream().map(topic -> new TopicSpec(PREFIX + topic, 3, OptionalLong.empty())).toList(),
                (short) 1));
        return new UpgradeRehearsal(service, database, Map.copyOf(environment));
    }

    /** A process of the service from {@code jar} on the rehearsal's database and topics. */
    Stack.Instance serve(Stack stack, Path jar) throws LaunchFailure {
        return stack.serveAlso(service, jar, database, environment);
    }

    /** The rehearsal's name of one of the suite's topics. */
    static String topic(String topic) {
        return PREFIX + topic;
    }

    /** SmallRye Config's environment name of a property: upper case, every other character an underscore. */
    private static String variable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static String properties(Path sources, String service) throws IOException {
        return Files.readString(sources.resolve(service).resolve("src/main/resources/application.properties"));
    }
}
