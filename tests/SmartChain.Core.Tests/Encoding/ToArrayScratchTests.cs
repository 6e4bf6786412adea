using SmartChain.Core.Encoding;

namespace SmartChain.Core.Tests.Encoding;

/// <summary>
/// <see cref="CanonicalEncoding.ToArray{T}"/> encodes into a scratch buffer each thread keeps: nothing it returns may
/// share that buffer, a nested call may not overwrite its caller's bytes, and a failed or large encoding may not leak
/// into the next.
/// </summary>
public class ToArrayScratchTests
{
    private static byte[] Bytes(byte value, int length) => CanonicalEncoding.ToArray((value, length),
        static (ref CanonicalWriter w, (byte Value, int Length) v) => w.WriteFixed(Enumerable.Repeat(v.Value, v.Length).ToArray()));

    [Fact]
    public void Each_array_is_its_own_and_exactly_the_values_bytes()
    {
        byte[] first = Bytes(1, 100);
        byte[] second = Bytes(2, 10);
        first[0] = 9; // written after the second call: if the two shared the scratch buffer, second would see it

        Assert.Equal(Enumerable.Repeat((byte)2, 10), second);
        Assert.Equal(100, first.Length);
        Assert.Equal(Enumerable.Repeat((byte)1, 99), first[1..]);
    }

    [Fact]
    public void A_nested_call_does_not_overwrite_its_callers_bytes()
    {
        Assert.Equal([1], Bytes(1, 1)); // this thread now holds a scratch buffer in its slot, which the outer call takes
        byte[] outer = CanonicalEncoding.ToArray(0, static (ref CanonicalWriter w, int _) =>
        {
            w.WriteFixed(new byte[] { 7, 7, 7 });
            byte[] inner = Bytes(5, 40); // takes the thread's scratch buffer if the outer call left it in the slot
            w.WriteBytes(inner, 100);
            w.WriteUInt8(8);
        });

        Assert.Equal([7, 7, 7, 40, 0, 0, 0, .. Enumerable.Repeat((byte)5, 40), 8], outer);
        Assert.Equal(Enumerable.Repeat((byte)3, 5), Bytes(3, 5));
    }

    [Fact]
    public void A_failed_encoding_leaves_nothing_behind_for_the_next()
    {
        Assert.Throws<InvalidOperationException>(() => CanonicalEncoding.ToArray(0, static (ref CanonicalWriter w, int _) =>
        {
            w.WriteFixed(new byte[50]);
            throw new InvalidOperationException("half written");
        }));

        Assert.Equal([4, 4], Bytes(4, 2));
    }

    [Fact]
    public void Values_larger_than_the_kept_buffer_encode_whole_and_the_next_small_one_too()
    {
        byte[] large = Bytes(6, CanonicalEncoding.MaxKeptScratchBytes + 1000);
        Assert.Equal(CanonicalEncoding.MaxKeptScratchBytes + 1000, large.Length);
        Assert.All(large, b => Assert.Equal(6, b));
        Assert.Equal([1], Bytes(1, 1));
    }

    [Fact]
    public async Task Threads_encoding_at_once_each_get_their_own_bytes()
    {
        Task<bool>[] workers = [.. Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                byte value = (byte)((t * 50) + (i % 50));
                byte[] bytes = Bytes(value, 1 + (i % 300));
                if (bytes.Length != 1 + (i % 300) || bytes.Any(b => b != value))
                {
                    return false;
                }
            }

            return true;
        }))];

        Assert.All(await Task.WhenAll(workers), Assert.True);
    }
}
