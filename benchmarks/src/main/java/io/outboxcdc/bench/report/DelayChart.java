package io.outboxcdc.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An SVG line chart of delay percentiles (log-scale milliseconds) against the offered rate, written by hand:
 * one series per percentile and stage.
 */
public final class DelayChart {

    public record Series(String name, String color, boolean dashed, List<double[]> points) {
    }

    private static final int W = 760;
    private static final int H = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 200;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private DelayChart() {
    }

    public static String svg(String title, List<Series> series) {
        double maxRate = 1;
        double minMs = 1;
        double maxMs = 10;
        for (Series s : series) {
            for (double[] p : s.points()) {
                maxRate = Math.max(maxRate, p[0]);
                if (p[1] > 0) {
                    maxMs = Math.max(maxMs, p[1]);
                    minMs = Math.min(minMs, p[1]);
                }
            }
        }
        double logMin = Math.floor(Math.log10(Math.max(0.1, minMs)));
        double logMax = Math.ceil(Math.log10(maxMs));
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        final double rateMax = maxRate * 1.05;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT, esc(title)));
        for (double e = logMin; e <= logMax; e++) {
            double y = TOP + plotH - (e - logMin) / (logMax - logMin) * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, LEFT + plotW, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n",
                    LEFT - 6, y + 4, label(Math.pow(10, e))));
        }
        for (int i = 0; i <= 5; i++) {
            double rate = rateMax * i / 5;
            double x = LEFT + plotW * i / 5;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    x, TOP, x, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f</text>%n",
                    x, TOP + plotH + 18, rate));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">offered rate (orders/s)</text>%n",
                LEFT + plotW / 2, H - 10));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT, TOP, plotW, plotH));
        int legendY = TOP + 10;
        for (Series s : series) {
            List<String> coords = new ArrayList<>();
            for (double[] p : s.points()) {
                if (p[1] <= 0) {
                    continue;
                }
                double x = LEFT + p[0] / rateMax * plotW;
                double y = TOP + plotH - (Math.log10(p[1]) - logMin) / (logMax - logMin) * plotH;
                coords.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, s.color()));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>%n",
                    s.color(), s.dashed() ? " stroke-dasharray=\"6,4\"" : "", String.join(" ", coords)));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    LEFT + plotW + 12, legendY, LEFT + plotW + 40, legendY, s.color(),
                    s.dashed() ? " stroke-dasharray=\"6,4\"" : ""));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n", LEFT + plotW + 46, legendY + 4,
                    esc(s.name())));
            legendY += 20;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String label(double ms) {
        return ms >= 1 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
