package dev.jdistcc.image;

/** The plan is invalid or names inputs that do not fit it: edit the plan (or the {@code --set} overrides). */
public final class PlanException extends ImageException {

    public PlanException(String message) {
        super(message, null);
    }

    public PlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
