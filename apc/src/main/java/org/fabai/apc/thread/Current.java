package org.fabai.apc.thread;

import java.util.ArrayList;
import java.util.List;
import org.fabai.apc.control.Controller;

/**
 * A thread's working copy for one {@link ControlThreads} operation: the controller and version it
 * starts from, the audit notes it makes, and the change it computed (what gets committed).
 * Package-private; used under the thread's lock only.
 */
final class Current {
    Context context;
    Controller controller;
    long version;
    long lastSeq;
    /** Audit notes (kind, detail), null while there is none (the usual case). */
    List<String[]> notes;
    /** The controller's state before an update, to undo one that is held (reused). */
    double[] before;
    /** Scratch for checking the state after an update (reused). */
    double[] afterState;
    // The change an operation computed, set by it (see Op): the controller after the change (its
    // state is what gets stored), the latest applied sequence after it, the run for the ledger
    // (null: none) and the audit entries.
    Controller after;
    long lastSeqAfter;
    RunRecord run;
    List<AuditEntry> audit;

    Current() {
    }

    Current(Context context, Controller controller, long version, long lastSeq) {
        reset(context, controller, version, lastSeq);
    }

    Current reset(Context context, Controller controller, long version, long lastSeq) {
        this.context = context;
        this.controller = controller;
        this.version = version;
        this.lastSeq = lastSeq;
        notes = null;
        after = null;
        lastSeqAfter = 0;
        run = null;
        audit = null;
        return this;
    }

    void note(String kind, String detail) {
        if (notes == null) {
            notes = new ArrayList<>(2);
        }
        notes.add(new String[] {kind, detail});
    }
}
