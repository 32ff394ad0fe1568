package dev.hearth.examples;

/** What every example's {@code main} shares: a failure is one line on standard error and exit code 1, never a stack trace. */
final class Examples {
    private Examples() {}

    /** The body of an example. */
    interface Body {
        void run() throws Exception;
    }

    static void main(String name, Body body) {
        try {
            body.run();
        } catch (Exception e) {
            System.out.flush();
            System.err.println(name + ": " + message(e));
            System.exit(1);
        }
    }

    /** The failure's own message, else its innermost cause's, else the innermost cause's type. */
    static String message(Throwable e) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null && !root.getMessage().isBlank() ? root.getMessage() : root.getClass().getSimpleName();
    }
}
