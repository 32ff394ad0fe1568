package dev.hearth.enginesim.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plain SVG charts, readable in a browser and on GitHub with no script: bars per label with
 * optional reference lines, and lines per series on a linear or logarithmic x axis.
 */
public final class SvgChart {
    /** One line of a line chart. */
    public record Series(String name, double[] x, double[] y) {}

    private static final String[] COLOURS = {"#d1495b", "#00798c", "#edae49", "#30638e", "#66a182", "#8d96a3", "#6a4c93",
            "#2e4057", "#c1666b", "#48a9a6"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int LEFT = 80;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 70;

    private SvgChart() {}

    public static String bars(String title, String yLabel, List<String> labels, double[] values, Map<String, Double> references) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        for (double v : references.values()) {
            max = Math.max(max, v);
        }
        max = niceCeiling(max);
        StringBuilder s = open(title, yLabel, "");
        axisY(s, 0, max);
        int plotW = WIDTH - LEFT - RIGHT;
        double slot = (double) plotW / Math.max(1, labels.size());
        for (int i = 0; i < labels.size(); i++) {
            double h = y(0, 0, max) - y(values[i], 0, max);
            double x = LEFT + i * slot + slot * 0.15;
            s.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s: %s</title></rect>%n",
                    x, y(values[i], 0, max), slot * 0.7, h, COLOURS[i % COLOURS.length], esc(labels.get(i)), num(values[i])));
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' font-size='11' text-anchor='middle'>%s</text>%n",
                    x + slot * 0.35, y(values[i], 0, max) - 4, num(values[i])));
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='11' text-anchor='end' transform='rotate(-30 %.1f %d)'>%s</text>%n",
                    x + slot * 0.35, HEIGHT - BOTTOM + 16, x + slot * 0.35, HEIGHT - BOTTOM + 16, esc(labels.get(i))));
        }
        for (Map.Entry<String, Double> ref : references.entrySet()) {
            double yy = y(ref.getValue(), 0, max);
            s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#333' stroke-dasharray='6 4'/>%n",
                    LEFT, WIDTH - RIGHT, yy, yy));
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' font-size='11'>%s %s</text>%n", WIDTH - RIGHT + 6,
                    yy + 4, esc(ref.getKey()), num(ref.getValue())));
        }
        return close(s);
    }

    public static String lines(String title, String xLabel, String yLabel, List<Series> series, boolean logX) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMax = 0;
        for (Series se : series) {
            for (int i = 0; i < se.x().length; i++) {
                double x = logX ? Math.log10(Math.max(se.x()[i], 1e-9)) : se.x()[i];
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
                yMax = Math.max(yMax, se.y()[i]);
            }
        }
        if (xMin == xMax) {
            xMax = xMin + 1;
        }
        yMax = niceCeiling(yMax);
        StringBuilder s = open(title, yLabel, xLabel);
        axisY(s, 0, yMax);
        for (int t = 0; t <= 4; t++) {
            double x = xMin + (xMax - xMin) * t / 4;
            double px = LEFT + (WIDTH - LEFT - RIGHT) * t / 4.0;
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%s</text>%n", px,
                    HEIGHT - BOTTOM + 16, num(logX ? Math.pow(10, x) : x)));
        }
        for (int k = 0; k < series.size(); k++) {
            Series se = series.get(k);
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < se.x().length; i++) {
                double x = logX ? Math.log10(Math.max(se.x()[i], 1e-9)) : se.x()[i];
                double px = LEFT + (WIDTH - LEFT - RIGHT) * (x - xMin) / (xMax - xMin);
                path.append(i == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", px, y(se.y()[i], 0, yMax)));
            }
            String colour = COLOURS[k % COLOURS.length];
            s.append(String.format(Locale.ROOT, "<path d='%s' fill='none' stroke='%s' stroke-width='2'><title>%s</title></path>%n",
                    path, colour, esc(se.name())));
            s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>"
                    + "<text x='%d' y='%d' font-size='12'>%s</text>%n", WIDTH - RIGHT + 10, TOP + k * 18, colour,
                    WIDTH - RIGHT + 28, TOP + k * 18 + 10, esc(se.name())));
        }
        return close(s);
    }

    private static StringBuilder open(String title, String yLabel, String xLabel) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' "
                + "font-family='sans-serif'>%n<rect width='100%%' height='100%%' fill='white'/>%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<text x='%d' y='22' font-size='15' font-weight='bold'>%s</text>%n", LEFT, esc(title)));
        s.append(String.format(Locale.ROOT, "<text x='16' y='%d' font-size='12' transform='rotate(-90 16 %d)' text-anchor='middle'>%s</text>%n",
                (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2, esc(yLabel)));
        s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' font-size='12' text-anchor='middle'>%s</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 12, esc(xLabel)));
        s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='#333'/>%n", LEFT, WIDTH - RIGHT,
                HEIGHT - BOTTOM, HEIGHT - BOTTOM));
        return s;
    }

    private static void axisY(StringBuilder s, double min, double max) {
        for (int t = 0; t <= 5; t++) {
            double v = min + (max - min) * t / 5;
            double yy = y(v, min, max);
            s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#ddd'/>"
                    + "<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%s</text>%n", LEFT, WIDTH - RIGHT, yy, yy, LEFT - 6,
                    yy + 4, num(v)));
        }
    }

    private static String close(StringBuilder s) {
        return s.append("</svg>\n").toString();
    }

    private static double y(double v, double min, double max) {
        return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * (v - min) / (max - min);
    }

    /** The next of 1, 2, 2.5, 5 times a power of ten at or above {@code v}: round axis ticks. */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
    }
}
