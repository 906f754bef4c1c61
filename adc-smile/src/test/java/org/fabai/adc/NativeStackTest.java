package org.fabai.adc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J (nd4j-native), OpenCV and Smile's native BLAS/LAPACK (bytedeco OpenBLAS) load and compute
 * in one JVM: their JavaCPP versions must converge (1.5.7, see the parent pom).
 */
class NativeStackTest {

    @Test
    void nd4jOpenCvAndSmileLapackWorkInOneJvm() {
        // ND4J: a matrix product through its native backend
        INDArray a = Nd4j.create(new double[][] {{1, 2}, {3, 4}});
        INDArray b = Nd4j.create(new double[][] {{5, 6}, {7, 8}});
        INDArray c = a.mmul(b);
        assertEquals(19.0, c.getDouble(0, 0), 1e-12);
        assertEquals(50.0, c.getDouble(1, 1), 1e-12);

        // OpenCV: a 3x3 median blur removes an isolated pixel and keeps a solid block
        try (Mat src = new Mat(8, 8, opencv_core.CV_8UC1); Mat dst = new Mat()) {
            byte[] px = new byte[64];
            px[9] = (byte) 255; // isolated
            for (int r = 4; r < 8; r++) {
                for (int col = 4; col < 8; col++) {
                    px[r * 8 + col] = (byte) 255;
                }
            }
            src.data().put(px, 0, 64);
            opencv_imgproc.medianBlur(src, dst, 3);
            byte[] out = new byte[64];
            dst.data().get(out, 0, 64);
            assertEquals(0, out[9]);
            assertEquals((byte) 255, out[6 * 8 + 6]);
        }

        // Smile: BLAS/LAPACK engines are the bytedeco OpenBLAS ones; QR and LU solves of A x = b
        assertTrue(smile.math.blas.BLAS.engine.getClass().getName().contains("openblas"),
                smile.math.blas.BLAS.engine.getClass().getName());
        assertTrue(smile.math.blas.LAPACK.engine.getClass().getName().contains("openblas"));
        double[][] m = {{4, 1, 2}, {1, 5, 3}, {2, 3, 6}};
        double[] x = {1, -2, 3};
        double[] rhs = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                rhs[i] += m[i][j] * x[j];
            }
        }
        assertArrayEquals(x, smile.math.matrix.Matrix.of(m).qr().solve(rhs.clone()), 1e-10);
        assertArrayEquals(x, smile.math.matrix.Matrix.of(m).lu().solve(rhs.clone()), 1e-10);
        smile.math.matrix.Matrix p = smile.math.matrix.Matrix.of(m).mm(smile.math.matrix.Matrix.of(m));
        assertEquals(4 * 4 + 1 * 1 + 2 * 2, p.get(0, 0), 1e-12);
    }
}
