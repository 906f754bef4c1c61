// fabai APC: compare run-to-run controllers on a drifting process, check stability, and keep a
// control thread's state in an embedded database.
// Run from the repository root:  bin/fabai-jshell examples/jshell/04-apc-r2r.jsh
import org.fabai.apc.control.*;
import org.fabai.apc.estimator.*;
import org.fabai.apc.sim.*;
import org.fabai.apc.thread.*;
import java.nio.file.*;
import java.util.*;
import java.util.function.Supplier;

// plant: y = 130 - 0.88 u + white noise + drift 0.02/run + a +-3 maintenance shift every 250 runs;
// the controllers' model gain is -0.8 (the true gain is 1.1x the model's)
var plant = DisturbanceSpec.parse("white:sigma=1+drift:delta=0.02+pm:every=250,shift=3", 130, -0.88, 0, 1);
var sim = new SimulationConfig(plant, 2000, 50, 45, 55, 1.0);
var cfg = ControllerConfig.of(50, 20, 180, 100);        // target 50, input bounds [20, 180], nominal input 100
Map<String, Supplier<Controller>> ctl = new LinkedHashMap<>();
ctl.put("EWMA", ControllerSpec.factory("ewma:lambda=0.3", cfg, -0.8, 130));
ctl.put("double EWMA", ControllerSpec.factory("dewma:lambda1=0.3,lambda2=0.05", cfg, -0.8, 130));
ctl.put("Kalman", ControllerSpec.factory("kalman:q=0.1,r=1,qdrift=1e-4", cfg, -0.8, 130));
System.out.println(Simulator.compare(ctl, sim, 1, 2, 3).format());

// is EWMA(0.3) stable if the true gain is 0.5x..4x the model's, with 0..2 runs of metrology delay?
System.out.println(StabilityAnalysis.analyze(new EwmaEstimator(new EwmaConfig(0.3, -0.8, 130)),
        new double[] {0.5, 1, 2, 4}, new int[] {0, 2}, 0.05).format());

// control threads for two tools x three products, durable in SQLite: feed runs, read recommendations.
// A new thread is seeded from its nearest siblings; a replayed run id is ignored.
var policy = new ThreadPolicy(cfg, new EwmaEstimator(new EwmaConfig(0.3, -0.8, 130)), Seeding.NEAREST_SIBLINGS);
Path db = Files.createTempFile("apc-threads", ".db");
var rnd = new Random(7);
try (var store = JdbcThreadStateStore.sqlite(db)) {
    var threads = new ControlThreads(policy, store);
    long run = 0;
    for (int lot = 0; lot < 20; lot++) {
        for (String tool : List.of("CMP01", "CMP02")) {
            for (String product : List.of("P1", "P2", "P3")) {
                var ctx = Context.of("tool", tool, "product", product, "layer", "M1");
                double u = threads.recommend(ctx).input();                       // the recipe for this run
                double offset = (tool.equals("CMP02") ? 4 : 0) + (product.equals("P3") ? -3 : 0);
                double y = 130 + offset - 0.88 * u + rnd.nextGaussian();          // what metrology measured
                threads.update(ctx, new Measurement(tool + "-" + product + "-" + lot, ++run, u, y));
            }
        }
    }
    for (String tool : List.of("CMP01", "CMP02")) {
        for (String product : List.of("P1", "P2", "P3")) {
            var ctx = Context.of("tool", tool, "product", product, "layer", "M1");
            System.out.printf("%s %s: next input %.2f%n", tool, product, threads.recommend(ctx).input());
        }
    }
    var ctx = Context.of("tool", "CMP01", "product", "P1", "layer", "M1");
    System.out.println("replayed run: " + threads.update(ctx, new Measurement("CMP01-P1-19", 1, 100, 50)).status());
}
/exit
