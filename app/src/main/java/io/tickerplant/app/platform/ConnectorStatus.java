package io.tickerplant.app.platform;

import java.util.List;

/**
 * What Connect's {@code GET /connectors/{name}/status} says about a connector and its tasks.
 *
 * @param name  the connector name
 * @param state {@code UNASSIGNED}, {@code RUNNING}, {@code PAUSED}, {@code STOPPED}, {@code FAILED} or
 *              {@code RESTARTING}
 * @param trace the stack trace when {@code FAILED}, otherwise null
 * @param tasks one entry per task, in task id order
 */
public record ConnectorStatus(String name, String state, String workerId, String trace, List<TaskState> tasks) {

    public static final String RUNNING = "RUNNING";
    public static final String FAILED = "FAILED";

    public ConnectorStatus {
        tasks = List.copyOf(tasks);
    }

    /** One task's state; {@code trace} is set when it failed. */
    public record TaskState(int id, String state, String workerId, String trace) {
        public boolean failed() {
            return FAILED.equals(state);
        }
    }

    /**
     * The connector and at least one task run, and no task is in another state. A connector that runs with no
     * task moves no data, so it does not count as running yet (its tasks appear shortly after it starts).
     */
    public boolean running() {
        return RUNNING.equals(state) && !tasks.isEmpty()
                && tasks.stream().allMatch(t -> RUNNING.equals(t.state()));
    }

    /** The connector or one of its tasks failed: it will not recover without a restart or a new config. */
    public boolean failed() {
        return FAILED.equals(state) || tasks.stream().anyMatch(TaskState::failed);
    }

    /** The first line of the first failure trace, for messages; empty when nothing failed. */
    public String failureSummary() {
        String t = FAILED.equals(state) ? trace
                : tasks.stream().filter(TaskState::failed).map(TaskState::trace).findFirst().orElse(null);
        if (t == null || t.isBlank()) {
            return failed() ? "(no trace)" : "";
        }
        int eol = t.indexOf('\n');
        return eol < 0 ? t : t.substring(0, eol);
    }

    /** E.g. {@code RUNNING, tasks [0 RUNNING, 1 FAILED]}. */
    public String summary() {
        return state + ", tasks " + tasks.stream().map(t -> t.id() + " " + t.state()).toList();
    }
}
