// fabai RCA: a synthetic fab with a planted bad chamber; the three rankers of the front door
// (robust z-score baseline, commonality, SCM attribution on a discovered graph) on the same problem.
// Run from the repository root:  bin/fabai-jshell examples/jshell/05-rca-root-cause.jsh
import java.util.List;
import org.fabai.rca.*;
import org.fabai.rca.baseline.*;
import org.fabai.rca.commonality.*;
import org.fabai.rca.discovery.*;
import org.fabai.rca.scm.*;
import org.fabai.rca.synth.*;

var fab = SyntheticFab.generate(FabConfig.defaults(11).withLots(40));   // 12 steps, 1,000 wafers
System.out.println("planted: " + fab.plantedCause() + " from " + fab.faultStart());

// histories + outcomes in; a fab of your own: RcaProblem.of(HistoryCsv.readHistories(...), HistoryCsv.readOutcomes(...), "yield")
var problem = fab.problem();
for (CauseRanker r : List.of(new RobustZRanker(), CommonalityRanker.continuous(true),
        ScmAttributionRanker.discovered(PcConfig.of(0.01), 1))) {
    Ranking k = r.rank(problem);
    System.out.printf("%-15s top %-12s score %.3g  confidence %.2f (%s); planted cause ranked %d%n", r.name(),
            k.top().name(), k.top().score(), k.top().confidence(), k.confidenceMeaning(), k.position(fab.plantedCause()) + 1);
}

// the commonality screen's detail and bootstrap confidence
var yield = fab.outcome(SyntheticFab.YIELD);
var screen = new CommonalityScreen(CommonalityConfig.continuous(false));  // low yield is bad
screen.run(fab.histories(), yield).ranked().stream().limit(3).forEach(s -> System.out.printf("%s %s q=%.2g culprit %s%n",
        s.step(), s.test(), s.q(), s.culprit().tool()));
for (var c : screen.bootstrap(fab.histories(), yield, 50, 1).subList(0, 3)) {
    System.out.printf("%-14s ranked first in %.0f%% of bootstrap replicates%n", c.name(), 100 * c.firstRate());
}

var graph = new Pc(PcConfig.of(0.01)).search(new MixedLinearTest(fab.table()), fab.knowledge());
System.out.println(graph.edges().size() + " edges discovered under process-order tiers; into yield: "
        + graph.edges().stream().filter(e -> e.to().equals("yield")).toList());
/exit
