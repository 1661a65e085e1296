package io.tickerplant.app.platform;

import io.tickerplant.app.config.PlatformConfig;
import io.tickerplant.model.Topics;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Creates the platform topics that are missing, on whichever cluster {@link KafkaComponent} points at. */
public final class TopicsComponent implements Component {

    private final Supplier<String> bootstrapServers;
    private final List<String> topics;
    private final int partitions;
    private final short replicationFactor;

    public TopicsComponent(Supplier<String> bootstrapServers, List<String> topics, int partitions,
                           short replicationFactor) {
        this.bootstrapServers = bootstrapServers;
        this.topics = List.copyOf(topics);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** {@link Topics#all()} under the configured prefix, partitions and replication factor. */
    public static TopicsComponent from(PlatformConfig config, KafkaComponent kafka) {
        return new TopicsComponent(kafka::bootstrapServers, config.topics().all(), config.topicPartitions(),
                config.topicReplicationFactor());
    }

    @Override
    public String name() {
        return "topics";
    }

    @Override
    public void start() {
        try (TopicAdmin admin = new TopicAdmin(bootstrapServers.get(), Duration.ofSeconds(30))) {
            admin.ensureTopics(topics, partitions, replicationFactor);
        }
    }

    /** The topics this component ensures exist. */
    public List<String> topics() {
        return topics;
    }

    @Override
    public void close() {
        // Topics outlive the process.
    }
}
