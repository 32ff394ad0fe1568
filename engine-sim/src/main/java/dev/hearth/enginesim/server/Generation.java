package dev.hearth.enginesim.server;

import dev.hearth.enginesim.engine.EngineLoop;
import dev.hearth.enginesim.engine.Output;
import dev.hearth.enginesim.engine.OutputListener;
import dev.hearth.enginesim.engine.Sampling;
import java.util.concurrent.LinkedBlockingQueue;

/** One request's outputs, handed from the engine thread to the HTTP thread that answers it. */
final class Generation implements OutputListener {
    private final String id;
    private final EngineLoop loop;
    private final LinkedBlockingQueue<Output> outputs = new LinkedBlockingQueue<>();
    private boolean finished;

    Generation(String id, EngineLoop loop, int[] prompt, String salt, Sampling sampling) {
        this.id = id;
        this.loop = loop;
        loop.submit(id, prompt, salt, sampling, this);
    }

    @Override
    public void onOutput(Output output) {
        outputs.add(output);
    }

    /** The next output, waiting for it; null after the last. */
    Output next() throws InterruptedException {
        if (finished) {
            return null;
        }
        Output o = outputs.take();
        finished = o.finish() != null;
        return o;
    }

    /** Frees the engine's slot and blocks when the client has gone. */
    void cancel() {
        if (!finished) {
            finished = true;
            loop.abort(id);
        }
    }

    String id() {
        return id;
    }
}
