package dev.quokka.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PacedOutput}: what Netty is given per turn of the event loop, and the order of it all.
 * {@link EmbeddedChannel} runs every pending task at each flush, all turns at once, so the turns
 * here are the handler's own: {@link #turn} runs what it left for the next one.
 */
class PacedOutputTest {
    private final java.util.List<Runnable> next = new java.util.ArrayList<>();

    private PacedOutput paced() {
        return new PacedOutput((ctx, task) -> next.add(task));
    }

    /** One turn of the event loop: runs what the last one left for it. */
    private void turn() {
        java.util.List<Runnable> now = new java.util.ArrayList<>(next);
        next.clear();
        now.forEach(Runnable::run);
    }

    /** Moves what the channel wrote into {@code sink}, returning how many bytes that was. */
    private static int drain(EmbeddedChannel ch, ByteArrayOutputStream sink) {
        int n = 0;
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            n += b.readableBytes();
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            sink.writeBytes(bytes);
            b.release();
        }
        return n;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void smallOutputPassesStraightThrough() {
        PacedOutput paced = paced();
        EmbeddedChannel ch = new EmbeddedChannel(paced);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            byte[] b = random(1000, i);
            expected.writeBytes(b);
            ch.pipeline().write(Unpooled.wrappedBuffer(b));
        }
        ch.pipeline().flush();
        assertEquals(10_000, drain(ch, sent));
        assertArrayEquals(expected.toByteArray(), sent.toByteArray());
        assertTrue(paced.isEmpty());
        assertTrue(ch.isWritable());
        ch.finishAndReleaseAll();
    }

    @Test
    void largeOutputLeavesAPacePerTurnInOrder() {
        PacedOutput paced = paced();
        EmbeddedChannel ch = new EmbeddedChannel(paced);
        byte[] big = random(3 * PacedOutput.PACE + 12_345, 1);
        byte[] small = random(100, 2);
        byte[] second = random(PacedOutput.PACE / 2, 3);
        ByteBuf bigBuf = Unpooled.wrappedBuffer(big);
        ch.pipeline().write(bigBuf);
        ChannelFuture smallWritten = ch.pipeline().write(Unpooled.wrappedBuffer(small));
        ch.pipeline().write(Unpooled.wrappedBuffer(second));
        ch.pipeline().flush();

        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int turns = 0;
        int first = drain(ch, sent);
        assertEquals(PacedOutput.PACE, first, "the first turn gives Netty one pace");
        assertFalse(ch.isWritable(), "unwritable while output waits here");
        assertEquals(big.length + small.length + second.length - first, paced.queuedBytes());
        assertFalse(smallWritten.isDone(), "a later write's promise waits for the bytes before it");
        while (!paced.isEmpty() || sent.size() < big.length + small.length + second.length) {
            turn();
            int n = drain(ch, sent);
            assertTrue(n > 0 && n <= PacedOutput.PACE, "turn " + turns + " wrote " + n);
            assertTrue(++turns < 100);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(big);
        expected.writeBytes(small);
        expected.writeBytes(second);
        assertArrayEquals(expected.toByteArray(), sent.toByteArray());
        assertEquals(3, turns, "two more paces and the rest: " + turns);
        assertTrue(smallWritten.isSuccess());
        assertTrue(ch.isWritable());
        assertEquals(0, paced.queuedBytes());
        assertEquals(0, bigBuf.refCnt(), "the sliced buffer is released once all of it is written");
        ch.finishAndReleaseAll();
    }

    @Test
    void closingDropsWhatWaits() {
        PacedOutput paced = paced();
        EmbeddedChannel ch = new EmbeddedChannel(paced);
        ByteBuf big = Unpooled.wrappedBuffer(random(2 * PacedOutput.PACE, 4));
        ByteBuf after = Unpooled.wrappedBuffer(random(10, 5));
        ch.pipeline().write(big);
        ChannelFuture afterWritten = ch.pipeline().write(after);
        ch.pipeline().flush();
        drain(ch, new ByteArrayOutputStream());
        ch.pipeline().close();
        assertTrue(afterWritten.isDone() && !afterWritten.isSuccess(), "the unsent write failed");
        assertEquals(0, big.refCnt());
        assertEquals(0, after.refCnt());
        assertEquals(0, paced.queuedBytes());
        ch.finishAndReleaseAll();
    }
}
