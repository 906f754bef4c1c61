package org.fabai.core.io.stdf;

/**
 * Names of the STDF V4 record types, keyed by {@code REC_TYP} and {@code REC_SUB}. Internal helper;
 * stateless and thread-safe.
 */
final class StdfRecordTypes {

    static final int FAR = code(0, 10);
    static final int ATR = code(0, 20);
    static final int MIR = code(1, 10);
    static final int MRR = code(1, 20);
    static final int PCR = code(1, 30);
    static final int HBR = code(1, 40);
    static final int SBR = code(1, 50);
    static final int PMR = code(1, 60);
    static final int PGR = code(1, 62);
    static final int PLR = code(1, 63);
    static final int RDR = code(1, 70);
    static final int SDR = code(1, 80);
    static final int WIR = code(2, 10);
    static final int WRR = code(2, 20);
    static final int WCR = code(2, 30);
    static final int PIR = code(5, 10);
    static final int PRR = code(5, 20);
    static final int TSR = code(10, 30);
    static final int PTR = code(15, 10);
    static final int MPR = code(15, 15);
    static final int FTR = code(15, 20);
    static final int BPS = code(20, 10);
    static final int EPS = code(20, 20);
    static final int GDR = code(50, 10);
    static final int DTR = code(50, 30);

    private StdfRecordTypes() {
    }

    static int code(int typ, int sub) {
        return (typ & 0xff) << 8 | (sub & 0xff);
    }

    /**
     * @param typ REC_TYP
     * @param sub REC_SUB
     * @return the V4 name (e.g. {@code "PRR"}), or {@code "UNKNOWN(typ,sub)"}
     */
    static String name(int typ, int sub) {
        String n = knownName(code(typ, sub));
        return n != null ? n : "UNKNOWN(" + typ + "," + sub + ")";
    }

    static boolean isKnown(int typ, int sub) {
        return knownName(code(typ, sub)) != null;
    }

    private static String knownName(int c) {
        switch (c) {
            case 0x000A: return "FAR";
            case 0x0014: return "ATR";
            case 0x010A: return "MIR";
            case 0x0114: return "MRR";
            case 0x011E: return "PCR";
            case 0x0128: return "HBR";
            case 0x0132: return "SBR";
            case 0x013C: return "PMR";
            case 0x013E: return "PGR";
            case 0x013F: return "PLR";
            case 0x0146: return "RDR";
            case 0x0150: return "SDR";
            case 0x020A: return "WIR";
            case 0x0214: return "WRR";
            case 0x021E: return "WCR";
            case 0x050A: return "PIR";
            case 0x0514: return "PRR";
            case 0x0A1E: return "TSR";
            case 0x0F0A: return "PTR";
            case 0x0F0F: return "MPR";
            case 0x0F14: return "FTR";
            case 0x140A: return "BPS";
            case 0x1414: return "EPS";
            case 0x320A: return "GDR";
            case 0x321E: return "DTR";
            default: return null;
        }
    }
}
