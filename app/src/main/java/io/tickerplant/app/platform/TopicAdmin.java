package io.tickerplant.app.platform;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the platform's topics when they are missing, against the embedded broker or any cluster. Idempotent:
 * existing topics are left exactly as they are, because changing a topic's partition count would move keys to
 * other partitions and break per-key ordering for consumers already reading it.
 */
public final class TopicAdmin implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;

    /** An admin client for {@code bootstrapServers}; each operation gives up after {@code timeout}. */
    public TopicAdmin(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "tickerplant-topic-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 30_000)));
    }

    /**
     * Creates each of {@code names} that does not exist yet with {@code partitions} partitions and
     * {@code replicationFactor} replicas.
     *
     * @return the topics this call created (empty when all existed)
     * @throws IllegalStateException when the cluster has fewer brokers than {@code replicationFactor}, or
     *                               Kafka cannot be reached in time
     */
    public List<String> ensureTopics(Collection<String> names, int partitions, short replicationFactor) {
        List<NewTopic> wanted = names.stream().map(n -> new NewTopic(n, partitions, replicationFactor)).toList();
        return ensureTopics(wanted);
    }

    /** Like {@link #ensureTopics(Collection, int, short)}, with each topic's own settings and configs. */
    public List<String> ensureTopics(List<NewTopic> wanted) {
        int brokers = brokerCount();
        for (NewTopic topic : wanted) {
            if (topic.replicationFactor() > brokers) {
                throw new IllegalStateException("topic " + topic.name() + " needs replication factor "
                        + topic.replicationFactor() + " but the cluster at " + bootstrapServers + " has " + brokers
                        + " broker(s): lower topic.replication.factor (--topic-replication-factor)");
            }
        }
        Set<String> existing = get(admin.listTopics(new ListTopicsOptions().listInternal(false)).names(),
                "list topics");
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic topic : wanted) {
            if (!existing.contains(topic.name())) {
                missing.add(topic);
            }
        }
        warnAboutDifferentPartitionCounts(wanted, existing);
        if (missing.isEmpty()) {
            return List.of();
        }
        List<String> created = new ArrayList<>();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(missing, new CreateTopicsOptions()).values();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                get(result.getValue(), "create topic " + result.getKey());
                created.add(result.getKey());
            } catch (IllegalStateException e) {
                // Another instance created it between our listing and our request: that is the goal anyway.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        log.info("created {} topic(s): {}", created.size(), String.join(", ", created));
        return created;
    }

    /** The number of live brokers in the cluster. */
    public int brokerCount() {
        return get(admin.describeCluster().nodes(), "describe the cluster").size();
    }

    /** Descriptions of the given topics (they must exist). */
    public Map<String, TopicDescription> describe(Collection<String> names) {
        return get(admin.describeTopics(names).allTopicNames(), "describe topics");
    }

    private void warnAboutDifferentPartitionCounts(List<NewTopic> wanted, Set<String> existing) {
        // numPartitions() is -1 when the topic was described without a count (the broker's default applies).
        List<NewTopic> present = wanted.stream()
                .filter(t -> existing.contains(t.name()) && t.numPartitions() > 0)
                .toList();
        if (present.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> descriptions = describe(present.stream().map(NewTopic::name).toList());
        for (NewTopic topic : present) {
            int actual = descriptions.get(topic.name()).partitions().size();
            if (topic.numPartitions() != actual) {
                log.warn("topic {} has {} partition(s), configuration asks for {}: left unchanged", topic.name(),
                        actual, topic.numPartitions());
            }
        }
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + " on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": no answer from Kafka at " + bootstrapServers
                    + " within " + timeout.toSeconds() + " s (check kafka.bootstrap.servers)", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
