package dev.jdistcc.image;

/**
 * Everything that can stop an image build. The subtype tells the user what to fix:
 * the plan ({@link PlanException}), the package source or pin ({@link FetchException}),
 * or the build host's tools ({@link ToolException}).
 */
public abstract sealed class ImageException extends Exception
        permits PlanException, FetchException, ToolException {

    protected ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
