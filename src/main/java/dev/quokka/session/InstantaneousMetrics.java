package dev.quokka.session;

/**
 * Redis's instantaneous metrics ({@code trackInstantaneousMetric}): every 100 ms the growth of a
 * counter is turned into a per-second rate, and INFO shows the mean of the last 16 samples.
 */
public final class InstantaneousMetrics {
    /** Sampling period, as Redis's serverCron does it (run_with_period(100)). */
    public static final long PERIOD_MS = 100;
    private static final int SAMPLES = 16;

    private final double[][] samples = new double[3][SAMPLES];
    private final long[] lastValue = new long[3];
    private long lastTime = System.currentTimeMillis();
    private int index;

    /** Takes one sample of commands, input bytes and output bytes. */
    public void sample(long commands, long inputBytes, long outputBytes) {
        long now = System.currentTimeMillis();
        long elapsed = Math.max(1, now - lastTime);
        long[] values = {commands, inputBytes, outputBytes};
        for (int m = 0; m < 3; m++) {
            samples[m][index] = Math.max(0, values[m] - lastValue[m]) * 1000.0 / elapsed;
            lastValue[m] = values[m];
        }
        lastTime = now;
        index = (index + 1) % SAMPLES;
    }

    private double mean(int m) {
        double sum = 0;
        for (double v : samples[m]) {
            sum += v;
        }
        return sum / SAMPLES;
    }

    /** INFO instantaneous_ops_per_sec. */
    public long opsPerSec() {
        return Math.round(mean(0));
    }

    /** INFO instantaneous_input_kbps. */
    public double inputKbps() {
        return mean(1) / 1024;
    }

    /** INFO instantaneous_output_kbps. */
    public double outputKbps() {
        return mean(2) / 1024;
    }
}
