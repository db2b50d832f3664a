import dev.pvring.bench.ring.CpuAffinity;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.BackRing;
import dev.pvring.xen.ring.FrontRing;
import dev.pvring.xen.ring.SharedRingDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Plain two-thread replica of xenring_anchor.c with the pvring API (no JMH). */
public class CtMain
{
    static final int BYTES = 16 * 4096;
    static volatile boolean go;

    public static void main(String[] a) throws Exception
    {
        final int batchArg = Integer.parseInt(a[0]);
        final long total = Long.parseLong(a[1]);
        final int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 5;
        run(batchArg, total, rounds);
    }

    static void run(final int batchArg, final long perRound, final int rounds) throws Exception
    {
        try (SharedMemory memory = SharedMemory.anonymous(BYTES))
        {
            final AtomicBuffer buffer = memory.buffer();
            final FrontRing front = FrontRing.init(buffer, 0, BYTES, 64);
            final int batch = batchArg == 0 ? front.size() : batchArg;
            final long[] errors = new long[2];
            final long total = perRound * rounds;
            final Thread backThread = new Thread(() -> {
                CpuAffinity.pinCurrentThread(1);
                final BackRing back = BackRing.attach(buffer, 0, BYTES, 64, 0);
                final UnsafeBuffer q = new UnsafeBuffer(new byte[64]);
                long expected = 0;
                long err = 0;
                while (!go) { Thread.onSpinWait(); }
                while (expected < total)
                {
                    final int n = back.unconsumedRequests();
                    if (n == 0) { Thread.onSpinWait(); continue; }
                    for (int i = 0; i < n; i++)
                    {
                        back.copyRequest(q, 0, 64);
                        final long seq = q.getLong(0);
                        err += seq != expected++ ? 1 : 0;
                        back.putLong(back.claimResponse(), seq);
                    }
                    back.pushResponsesAndCheckNotify();
                }
                errors[1] = err;
            });
            backThread.start();
            CpuAffinity.pinCurrentThread(0);
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
            payload.setMemory(0, 64, (byte)0xab);
            final UnsafeBuffer rsp = new UnsafeBuffer(new byte[8]);
            long sent = 0, answered = 0, err = 0;
            go = true;
            long t0 = System.nanoTime();
            long next = perRound;
            while (answered < total)
            {
                final int m = front.unconsumedResponses();
                for (int i = 0; i < m; i++)
                {
                    front.copyResponse(rsp, 0, 8);
                    err += rsp.getLong(0) != answered++ ? 1 : 0;
                }
                int n = 0;
                while (n < batch && sent < total)
                {
                    final int slot = front.claimRequest();
                    if (slot < 0) break;
                    front.putRequest(slot, payload, 0, 64);
                    front.putLong(slot, sent++);
                    n++;
                }
                if (answered >= next)
                {
                    final long t = System.nanoTime();
                    System.out.printf("java batch=%d %.3f Mmsg/s%n", batch, perRound * 1e3 / (t - t0));
                    t0 = t;
                    next += perRound;
                }
                if (n != 0) front.pushRequestsAndCheckNotify(); else { Thread.onSpinWait(); if (!backThread.isAlive() && answered < total && front.unconsumedResponses() == 0) { System.out.println("stuck " + front + " sent=" + sent + " answered=" + answered + " back errors=" + errors[1]); System.exit(1); } }
            }
            backThread.join();
            System.out.printf("errors=%d/%d%n", err, errors[1]);
        }
    }
}
