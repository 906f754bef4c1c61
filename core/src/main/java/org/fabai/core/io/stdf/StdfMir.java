package org.fabai.core.io.stdf;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The fields of an STDF V4 Master Information Record (MIR) that describe a lot's test run. Fields
 * the file leaves out (a record may end early) take STDF's missing values: empty strings, a space
 * for one-character codes, and an empty time.
 *
 * <p>Immutable and thread-safe.
 *
 * @param setupTime       SETUP_T, when the tester was set up; empty when 0 or absent
 * @param startTime       START_T, when the first part was tested; empty when 0 or absent
 * @param stationNumber   STAT_NUM, tester station number
 * @param modeCode        MODE_COD, test mode (e.g. 'P' production, 'E' engineering)
 * @param retestCode      RTST_COD, lot retest code
 * @param lotId           LOT_ID
 * @param partType        PART_TYP, part type or product id
 * @param nodeName        NODE_NAM, tester host name
 * @param testerType      TSTR_TYP
 * @param jobName         JOB_NAM, test program name
 * @param jobRevision     JOB_REV
 * @param sublotId        SBLOT_ID
 * @param operatorName    OPER_NAM
 * @param execType        EXEC_TYP, tester executive software
 * @param execVersion     EXEC_VER
 * @param testCode        TEST_COD, test phase or step (e.g. "WFR")
 * @param testTemperature TST_TEMP, as written
 * @param facilityId      FACIL_ID
 * @param floorId         FLOOR_ID
 * @param processId       PROC_ID, fabrication process
 * @param flowId          FLOW_ID
 */
public record StdfMir(Optional<Instant> setupTime, Optional<Instant> startTime, int stationNumber,
        char modeCode, char retestCode, String lotId, String partType, String nodeName, String testerType,
        String jobName, String jobRevision, String sublotId, String operatorName, String execType,
        String execVersion, String testCode, String testTemperature, String facilityId, String floorId,
        String processId, String flowId) {

    /** Checks that no component is null. */
    public StdfMir {
        Objects.requireNonNull(setupTime, "setupTime");
        Objects.requireNonNull(startTime, "startTime");
        for (String s : new String[] {lotId, partType, nodeName, testerType, jobName, jobRevision, sublotId,
                operatorName, execType, execVersion, testCode, testTemperature, facilityId, floorId, processId,
                flowId}) {
            Objects.requireNonNull(s, "MIR string fields must not be null (use \"\" for missing)");
        }
    }

    /**
     * A MIR with the given ids and times and every other field missing.
     *
     * @param lotId     LOT_ID
     * @param partType  PART_TYP
     * @param startTime START_T, may be null
     * @return the record
     */
    public static StdfMir of(String lotId, String partType, Instant startTime) {
        Optional<Instant> t = Optional.ofNullable(startTime);
        return new StdfMir(t, t, 1, ' ', ' ', lotId, partType, "", "", "", "", "", "", "", "", "", "", "",
                "", "", "");
    }
}
