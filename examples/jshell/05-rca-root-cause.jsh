// fabai RCA: a synthetic fab with a planted bad chamber; commonality, causal discovery with the
// process order as knowledge, and the robust z-score baseline beside them.
// Run from the repository root:  bin/fabai-jshell examples/jshell/05-rca-root-cause.jsh
import org.fabai.rca.*;
import org.fabai.rca.commonality.*;
import org.fabai.rca.discovery.*;
import org.fabai.rca.synth.*;

var fab = SyntheticFab.generate(FabConfig.defaults(11).withLots(40));   // 12 steps, 1,000 wafers
System.out.println("planted: " + fab.plantedCause() + " from " + fab.faultStart());

var yield = fab.outcome(SyntheticFab.YIELD);
var screen = new CommonalityScreen(CommonalityConfig.continuous(false));  // low yield is bad
var result = screen.run(fab.histories(), yield);
result.ranked().stream().limit(3).forEach(s -> System.out.printf("%s %s q=%.2g culprit %s%n",
        s.step(), s.test(), s.q(), s.culprit().tool()));

for (var c : screen.bootstrap(fab.histories(), yield, 50, 1).subList(0, 3)) {
    System.out.printf("%-14s ranked first in %.0f%% of bootstrap replicates%n", c.name(), 100 * c.firstRate());
}

var graph = new Pc(PcConfig.of(0.01)).search(new MixedLinearTest(fab.table()), fab.knowledge());
System.out.println(graph.edges().size() + " edges discovered under process-order tiers; into yield: "
        + graph.edges().stream().filter(e -> e.to().equals("yield")).toList());
System.out.println("baseline top 3: " + FabEvaluation.rank(FabEvaluation.Method.ROBUST_Z_BASELINE, fab, 1).subList(0, 3));
/exit
