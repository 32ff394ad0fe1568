package dev.hearth.platform.deployments;

import java.util.List;

/** A request the control plane refuses: what kind of refusal, what is wrong, and (for configs) each problem. */
public final class DeploymentError extends RuntimeException {
    /** Maps onto HTTP statuses: 404, 409, 400 and 422, 503. */
    public enum Kind { NOT_FOUND, CONFLICT, INVALID, UNAVAILABLE }

    private final Kind kind;
    private final List<String> problems;

    public DeploymentError(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public DeploymentError(Kind kind, String message, List<String> problems) {
        super(message, null, false, false);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public Kind kind() {
        return kind;
    }

    public List<String> problems() {
        return problems;
    }
}
