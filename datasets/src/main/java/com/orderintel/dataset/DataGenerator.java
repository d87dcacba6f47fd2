package com.orderintel.dataset;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded generators of realistic training data (the sample files are 30 and 15 rows). Same seed, same bytes.
 * <ul>
 *   <li>Demand: per product a base level and trend, weekly (weekend) and yearly seasonality, promotions with
 *   a product-specific uplift, a basket value that moves demand, and noise.</li>
 *   <li>Orders: normal orders plus injected anomalies of four kinds (slow processing, huge basket, poor
 *   payment score, and a milder combination of all three), labelled 1.</li>
 * </ul>
 */
public final class DataGenerator {

    public static final LocalDate START = LocalDate.of(2023, 1, 1);

    private DataGenerator() {
    }

    public static void demand(Path out, int rows, int products, long seed) {
        demand(out, rows, products, seed, false);
    }

    /**
     * As {@link #demand(Path, int, int, long)}; with {@code expected}, each row also carries the day's true mean
     * (column {@value DemandRow#EXPECTED}, before noise and rounding), from which training reports the noise
     * floor. The other columns are the same bytes either way.
     */
    public static void demand(Path out, int rows, int products, long seed, boolean expected) {
        if (rows < 1 || products < 1 || products > rows) {
            throw new DataException("--rows must be >= 1 and --products between 1 and --rows (got rows " + rows + ", products " + products + ")");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] base = new double[products];
        double[] trend = new double[products];
        double[] uplift = new double[products];
        double[] weekend = new double[products];
        double[] season = new double[products];
        for (int p = 0; p < products; p++) {
            base[p] = 60 + rnd.nextDouble() * 140;
            trend[p] = (rnd.nextDouble() - 0.3) * 0.05;
            uplift[p] = 0.15 + rnd.nextDouble() * 0.25;
            weekend[p] = rnd.nextDouble() * 0.2 - 0.05;
            season[p] = 0.05 + rnd.nextDouble() * 0.2;
        }
        StringBuilder line = new StringBuilder(64);
        try (BufferedWriter w = writer(out)) {
            w.write(expected ? "date,product_id,avg_basket_value,promo_flag,demand," + DemandRow.EXPECTED + "\n"
                    : "date,product_id,avg_basket_value,promo_flag,demand\n");
            for (int i = 0; i < rows; i++) {
                int p = i % products;
                int day = i / products;
                LocalDate date = START.plusDays(day);
                int dow = date.getDayOfWeek().getValue() - 1;
                boolean promo = rnd.nextDouble() < 0.25;
                double basket = 85 + gaussian(rnd) * 4 + (promo ? -2 : 0);
                double level = base[p] + trend[p] * day;
                double seasonal = 1 + season[p] * Math.sin(2 * Math.PI * (date.getDayOfYear() - 80) / 365.25);
                double weekly = dow >= 5 ? 1 + weekend[p] : 1;
                double mean = level * seasonal * weekly * (promo ? 1 + uplift[p] : 1) + 2.3 * (basket - 85);
                double demand = mean + gaussian(rnd) * 0.05 * level;
                line.setLength(0);
                line.append(date).append(",SKU-");
                pad3(line, p + 1);
                line.append(',').append(String.format(Locale.ROOT, "%.2f", basket)).append(',').append(promo ? 1 : 0)
                        .append(',').append(Math.max(0, Math.round(demand)));
                if (expected) {
                    line.append(',').append(String.format(Locale.ROOT, "%.4f", mean));
                }
                w.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new DataException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    public static void orders(Path out, int rows, double anomalyRate, long seed) {
        if (rows < 1 || !(anomalyRate >= 0 && anomalyRate <= 0.5)) {
            throw new DataException("--rows must be >= 1 and --anomaly-rate in [0, 0.5] (got " + rows + ", " + anomalyRate + ")");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        try (BufferedWriter w = writer(out)) {
            w.write("order_id,avg_processing_ms,item_count,payment_score,label\n");
            for (int i = 0; i < rows; i++) {
                double ms = 1500 * Math.exp(gaussian(rnd) * 0.2);
                double items = 1 + Math.min(11, (int) Math.floor(-Math.log(1 - rnd.nextDouble()) * 3));
                double pay = Math.min(0.99, 0.85 + gaussian(rnd) * 0.06);
                int label = 0;
                if (rnd.nextDouble() < anomalyRate) {
                    label = 1;
                    switch (rnd.nextInt(4)) {
                        case 0 -> ms = 3500 + rnd.nextDouble() * 4000;            // slow processing
                        case 1 -> items = 18 + rnd.nextInt(30);                   // huge basket
                        case 2 -> pay = 0.05 + rnd.nextDouble() * 0.25;           // poor payment score
                        default -> {                                              // several signals at once
                            ms = 2600 + rnd.nextDouble() * 800;
                            items = 8 + rnd.nextInt(5);
                            pay = 0.3 + rnd.nextDouble() * 0.15;
                        }
                    }
                }
                w.write(String.format(Locale.ROOT, "ORDER-%07d,%.1f,%d,%.3f,%d%n", i + 1, ms, (int) items,
                        Math.max(0.0, pay), label));
            }
        } catch (IOException e) {
            throw new DataException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private static void pad3(StringBuilder b, int n) {
        if (n < 100) {
            b.append('0');
        }
        if (n < 10) {
            b.append('0');
        }
        b.append(n);
    }

    private static BufferedWriter writer(Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(out, StandardCharsets.UTF_8);
    }

    /** Box-Muller on the seeded generator (SplittableRandom has no nextGaussian before JDK 17's RandomGenerator default). */
    private static double gaussian(SplittableRandom rnd) {
        return rnd.nextGaussian();
    }
}
