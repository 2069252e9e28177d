package io.cloudsentinel.bootstrap;

import java.nio.file.Path;

/**
 * The server.properties of a one-node KRaft Kafka (broker and controller in one process) on loopback: what the local
 * stack runs and what outage tests restart. One place, so both run the same broker.
 */
public final class KafkaNodeConfig {

    private KafkaNodeConfig() {
    }

    public static String combined(int port, int controllerPort, Path dataDirectory, int partitions) {
        String listener = "127.0.0.1:" + port;
        String controller = "127.0.0.1:" + controllerPort;
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + controller,
                "listeners=PLAINTEXT://" + listener + ",CONTROLLER://" + controller,
                "advertised.listeners=PLAINTEXT://" + listener,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dataDirectory,
                "num.partitions=" + partitions,
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }
}
