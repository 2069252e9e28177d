package io.cloudsentinel.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.cloudsentinel.platform.kafka.EventHeaders;
import io.cloudsentinel.platform.kafka.KafkaClientSecurity;
import io.cloudsentinel.platform.tenant.TenantId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Reports that a tenant is active: at most one {@code tenants.activity} event per tenant per interval on this
 * replica, never on the request path. A request only looks at a map and offers to a bounded queue; one thread sends
 * from the queue. While Kafka is down the producer blocks that thread (up to {@code max.block.ms}), the queue fills
 * and further events are dropped and counted: requests keep flowing. A dropped event is forgotten, so that the
 * tenant's next request reports again instead of waiting out the interval; the sender fetches the topic's metadata
 * before it sends, so that a cold start does not drop the first tenants' events. A plain producer rather than a messaging
 * emitter because the two guarantees (never block, count every drop) must be explicit here, and an outgoing channel
 * would also put the broker into the gateway's readiness.
 */
@ApplicationScoped
public class ActivityReporter {

    private static final Logger LOG = Logger.getLogger(ActivityReporter.class);

    private final GatewayConfig.Activity config;
    private final Clock clock;
    private final Map<TenantId, Instant> lastReported = new ConcurrentHashMap<>();
    private final BlockingQueue<Report> queue;
    private final KafkaProducer<String, String> producer;
    private final Counter sent;
    private final Counter dropped;
    private final Thread sender;
    private volatile boolean running = true;

    public ActivityReporter(GatewayConfig config, Clock clock, MeterRegistry registry) {
        this.config = config.activity();
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(this.config.queueSize());
        this.sent = Counter.builder("cs.gateway.activity.sent").description("tenants.activity events the broker took")
                .register(registry);
        this.dropped = Counter.builder("cs.gateway.activity.dropped")
                .description("tenants.activity events dropped: queue full or broker unreachable").register(registry);
        this.producer = this.config.enabled() ? producer(this.config.bootstrapServers()) : null;
        this.sender = new Thread(this::sendLoop, "tenants-activity-sender");
        this.sender.setDaemon(true);
        if (this.config.enabled()) {
            this.sender.start();
        }
    }

    /** Called for every authenticated request: cheap, never blocks. */
    public void seen(TenantId tenant) {
        if (!config.enabled()) {
            return;
        }
        Instant now = clock.instant();
        Instant previous = lastReported.get(tenant);
        if (previous != null && previous.plus(config.interval()).isAfter(now)) {
            return;
        }
        // one winner per interval among concurrent requests of the same tenant
        boolean won = previous == null ? lastReported.putIfAbsent(tenant, now) == null
                : lastReported.replace(tenant, previous, now);
        if (!won) {
            return;
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(config.topic(), tenant.toString(),
                "{\"schemaVersion\":1,\"tenantId\":\"" + tenant + "\",\"occurredAt\":\"" + now + "\"}");
        EventHeaders.newEvent(tenant, null).writeTo(record.headers());
        Report report = new Report(tenant, now, record);
        if (!queue.offer(report)) {
            drop(report);
        }
    }

    /** An event on its way, and the report time it stands for in {@code lastReported}. */
    private record Report(TenantId tenant, Instant at, ProducerRecord<String, String> record) {
    }

    private void drop(Report report) {
        dropped.increment();
        lastReported.remove(report.tenant(), report.at());
    }

    /** Forgets tenants not seen for two intervals, so the map holds only the active ones. */
    @Scheduled(every = "1m", delayed = "1m")
    void forgetQuietTenants() {
        Instant horizon = clock.instant().minus(config.interval().multipliedBy(2));
        lastReported.values().removeIf(reported -> reported.isBefore(horizon));
    }

    private void sendLoop() {
        awaitTopicMetadata();
        while (running) {
            Report report;
            try {
                report = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (report == null) {
                continue;
            }
            try {
                producer.send(report.record(), (metadata, failure) -> {
                    if (failure == null) {
                        sent.increment();
                    } else {
                        drop(report);
                        LOG.debugf("tenants.activity event dropped: %s", failure.getMessage());
                    }
                });
            } catch (RuntimeException e) {
                drop(report);
                LOG.debugf("tenants.activity event dropped: %s", e.getMessage());
            }
        }
    }

    /**
     * The first send of a new producer waits for the topic's metadata, longer than {@code max.block.ms} on a cold
     * broker: fetched here first (events wait in the queue meanwhile), retried until the broker answers.
     */
    private void awaitTopicMetadata() {
        while (running) {
            try {
                producer.partitionsFor(config.topic());
                return;
            } catch (RuntimeException notYet) {
                LOG.debugf("tenants.activity metadata not there yet: %s", notYet.getMessage());
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties properties = new Properties();
        // a broker that needs SASL or TLS: the same kafka.* settings the services' channels take
        properties.putAll(KafkaClientSecurity.of(ConfigProvider.getConfig()));
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "1"); // a hint: the next request reports again
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "50");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(4L * 1024 * 1024));
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    @PreDestroy
    void close() {
        running = false;
        sender.interrupt();
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }
}
