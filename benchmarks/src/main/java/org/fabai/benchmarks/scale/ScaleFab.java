package org.fabai.benchmarks.scale;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Writes a fab-scale history and outcome CSV pair without holding it: {@code wafers} wafers in
 * lots of 25, each through {@code steps} steps in order; at each step a lot goes to one of 4-8
 * tools (lot-level dispatch) and each wafer to one of the tool's 2-4 chambers; a step takes two
 * hours, lots start every 20 minutes. Yield is normal(80, 4); wafers that ran the planted chamber
 * (chamber B of tool {@code S<bad>T1} at step {@code S<bad>}) lose {@code shift} points.
 * {@code fabai rca synth} builds its fab in memory, so it does not reach these sizes.
 *
 * <p>Usage: {@code ScaleFab OUT_DIR WAFERS STEPS [SEED] [SHIFT]}; writes {@code histories.csv}
 * ({@code wafer_id,lot_id,step,tool,chamber,timestamp}, rows wafer by wafer) and
 * {@code outcomes.csv} ({@code wafer_id,name,value}), and prints the planted cause.
 */
public final class ScaleFab {

    private ScaleFab() {
    }

    /**
     * @param args OUT_DIR WAFERS STEPS [SEED] [SHIFT]
     * @throws IOException on write failure
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ScaleFab OUT_DIR WAFERS STEPS [SEED] [SHIFT]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int wafers = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        double shift = args.length > 4 ? Double.parseDouble(args[4]) : 1.0;
        String planted = write(out, wafers, steps, seed, shift);
        System.out.println("wrote " + wafers + " wafers x " + steps + " steps (" + (long) wafers * steps
                + " rows) to " + out + "; planted cause: " + planted);
    }

    /**
     * Writes the pair.
     *
     * @return the planted cause as {@code "step tool/chamber"}
     */
    static String write(Path out, int wafers, int steps, long seed, double shift) throws IOException {
        Files.createDirectories(out);
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] tools = new int[steps];
        int[] chambers = new int[steps];
        for (int s = 0; s < steps; s++) {
            tools[s] = 4 + rnd.nextInt(5);
            chambers[s] = 2 + rnd.nextInt(3);
        }
        int badStep = steps / 2;
        int badTool = 1;
        int badChamber = 1;   // "B"
        long epochDay0 = LocalDate.of(2026, 1, 5).toEpochDay();
        StringBuilder row = new StringBuilder(96);
        try (OutputStream h = new BufferedOutputStream(Files.newOutputStream(out.resolve("histories.csv")), 1 << 20);
             OutputStream o = new BufferedOutputStream(Files.newOutputStream(out.resolve("outcomes.csv")), 1 << 20)) {
            h.write("wafer_id,lot_id,step,tool,chamber,timestamp\n".getBytes(StandardCharsets.US_ASCII));
            o.write("wafer_id,name,value\n".getBytes(StandardCharsets.US_ASCII));
            int[] lotTool = new int[steps];
            for (int w = 0; w < wafers; w++) {
                int lot = w / 25;
                if (w % 25 == 0) {
                    for (int s = 0; s < steps; s++) {
                        lotTool[s] = rnd.nextInt(tools[s]);
                    }
                }
                boolean hit = false;
                long start = lot * 1200L;   // seconds: a lot every 20 minutes
                for (int s = 0; s < steps; s++) {
                    int c = rnd.nextInt(chambers[s]);
                    hit |= s == badStep && lotTool[s] == badTool && c == badChamber;
                    row.setLength(0);
                    row.append('W').append(w).append(",L").append(lot).append(",S").append(s).append(",S").append(s)
                            .append('T').append(lotTool[s]).append(',').append((char) ('A' + c)).append(',');
                    time(row, epochDay0, start + s * 7200L);
                    row.append('\n');
                    for (int i = 0; i < row.length(); i++) {
                        h.write(row.charAt(i));
                    }
                }
                double y = 80 + 4 * gaussian(rnd) - (hit ? shift * 4 : 0);
                o.write(("W" + w + ",yield," + y + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        return "S" + badStep + " S" + badStep + "T" + badTool + "/B";
    }

    private static void time(StringBuilder b, long epochDay0, long sec) {
        LocalDate d = LocalDate.ofEpochDay(epochDay0 + sec / 86400);
        long t = sec % 86400;
        b.append(d.getYear()).append('-');
        two(b, d.getMonthValue());
        b.append('-');
        two(b, d.getDayOfMonth());
        b.append('T');
        two(b, (int) (t / 3600));
        b.append(':');
        two(b, (int) (t / 60 % 60));
        b.append(':');
        two(b, (int) (t % 60));
        b.append('Z');
    }

    private static void two(StringBuilder b, int v) {
        b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
