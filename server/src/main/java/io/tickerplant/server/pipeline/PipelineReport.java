package io.tickerplant.server.pipeline;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/pipeline} answers: the state of every stage of the pipeline at {@code time}, and
 * {@code problems}, what is wrong with it in words (empty when all is well). The shape is a contract with the
 * dashboard: fields may be added, none renamed or removed.
 *
 * @param time        when the figures were put together
 * @param connectors  every connector the platform runs, with its tasks, as the Connect REST API reports them
 * @param topics      records seen per topic since the server started, and the recent rate
 * @param venues      data events per venue, feed statuses (gaps, resyncs, disconnects) and the latest status
 * @param deadLetters records on the dead-letter topic since the server started, and the latest reason
 * @param consumerLag how far each consumer group (the sink, each Streams application) is behind the topics' ends
 * @param sink        how fast trades reach the database and at which rate, over the last minute
 * @param problems    what is wrong, one sentence each
 */
public record PipelineReport(Instant time, List<Connector> connectors, List<TopicFigures> topics,
        List<VenueFigures> venues, DeadLetterFigures deadLetters, List<ConsumerLag> consumerLag, SinkFigures sink,
        List<String> problems) {

    public PipelineReport {
        connectors = List.copyOf(connectors);
        topics = List.copyOf(topics);
        venues = List.copyOf(venues);
        consumerLag = List.copyOf(consumerLag);
        problems = List.copyOf(problems);
    }

    /**
     * A connector and its tasks. {@code state} is Connect's ({@code RUNNING}, {@code PAUSED}, {@code FAILED},
     * {@code UNASSIGNED}, ...) or {@code UNKNOWN} when Connect could not be asked; {@code trace} is the failure's
     * stack trace, or why the state is unknown.
     */
    public record Connector(String name, String state, List<Task> tasks, String trace) {
        public Connector {
            tasks = List.copyOf(tasks);
        }
    }

    /** One task of a connector; {@code trace} is set when it failed. */
    public record Task(int id, String state, String trace) {
    }

    /** Records on one topic: {@code total} since the server started, {@code eventsPerSecond} over ~10 s. */
    public record TopicFigures(String topic, double eventsPerSecond, long total) {
    }

    /**
     * One venue. {@code events} counts its data records (trades, quotes, book updates, liquidations, funding) since
     * the server started; {@code gaps}, {@code resyncs} and {@code disconnects} count its feed statuses of those
     * kinds. {@code lastStatus*} is its latest feed status of any symbol or channel (null before the first one).
     * {@code openStatuses} are the statuses not (yet) cleared: a DISCONNECTED or STALE until CONNECTED or RESYNC on
     * the same symbol and channel, a GAP for {@link PipelineProblems#GAP_WINDOW} after the latest one.
     */
    public record VenueFigures(String venue, long events, double eventsPerSecond, long gaps, long resyncs,
            long disconnects, String lastStatus, Instant lastStatusTime, String lastStatusDetail,
            Instant lastEventTime, List<OpenStatus> openStatuses) {
        public VenueFigures {
            openStatuses = List.copyOf(openStatuses);
        }
    }

    /**
     * A feed status still in force on one venue's symbol and channel (null symbol: the whole connection).
     * {@code since} is when this state began, {@code last} its latest report.
     */
    public record OpenStatus(String symbol, String channel, String status, Instant since, Instant last,
            String detail) {
    }

    /** Dead letters since the server started, and the reason and stage of the latest ({@code null} before one). */
    public record DeadLetterFigures(long total, String lastReason, Instant lastTime, String lastStage) {
        public static final DeadLetterFigures NONE = new DeadLetterFigures(0, null, null, null);
    }

    /**
     * Records a consumer group has yet to read (sum over its partitions of end offset minus committed offset);
     * {@code lag} is null and {@code error} says why when it could not be measured (no committed offset yet, Kafka
     * unreachable).
     */
    public record ConsumerLag(String group, Long lag, String error) {
    }

    /**
     * Receive time to database ingest time of the trades written over the last minute ({@code null}s when none
     * was, or when the database could not be asked: then {@code error} says why).
     */
    public record SinkFigures(Double latencyP50Ms, Double latencyP99Ms, double rowsPerSecond, long rowsLastMinute,
            String error) {
        public static final SinkFigures UNKNOWN = new SinkFigures(null, null, 0, 0, "not measured yet");
    }
}
