using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Node.Gateway;

namespace SmartChain.Node.Tests;

/// <summary>
/// Issue 16: a request's exact bytes are checked (an Ed25519 verification) once per replica, by whichever thread asks
/// first: its client's copy on a gateway task, or the leader's PROPOSE on the consensus thread, even when both ask at once.
/// </summary>
public sealed class VerifiedRequestsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly Ed25519KeyPair _client = Ed25519KeyPair.FromSeed(new byte[32]);

    public void Dispose() => _client.Dispose();

    private SignedRequest Request(ulong sequence) => SignedRequest.Create("verified-test", _client, sequence, 0, [1, 2, 3]);

    [Fact]
    public void Two_threads_asking_for_the_same_request_at_once_make_one_check_and_both_get_its_answer()
    {
        using var checking = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var secondArrived = new ManualResetEventSlim();
        int checks = 0;
        var verified = new VerifiedRequests(_ =>
        {
            if (Interlocked.Increment(ref checks) == 1)
            {
                checking.Set();
                Assert.True(release.Wait(Patience));
            }
            else
            {
                secondArrived.Set();
            }

            return TxCheck.Ok;
        }, capacity: 1_000, patience: Patience)
        { StartedWaitingForTests = secondArrived.Set };
        SignedRequest request = Request(1);
        SignedRequest sameBytes = SignedRequest.Decode(request.Encoded);
        TxCheck firstAnswer = default, secondAnswer = default;

        // Threads of their own, not the pool's: the first blocks inside its check, and a busy pool would delay the second.
        var first = new Thread(() => firstAnswer = verified.Verify(request));
        first.Start();
        Assert.True(checking.Wait(Patience));
        var second = new Thread(() => secondAnswer = verified.Verify(sameBytes));
        second.Start();
        // The second either checks too or waits for the first's answer; the first's check goes on only after that.
        Assert.True(secondArrived.Wait(Patience));
        release.Set();

        Assert.True(first.Join(Patience) && second.Join(Patience));
        Assert.True(firstAnswer.Accepted);
        Assert.True(secondAnswer.Accepted);
        Assert.Equal(1, checks);
        Assert.True(verified.Verify(request).Accepted);
        Assert.Equal(1, checks);
    }

    [Fact]
    public void A_caller_does_not_stall_behind_a_check_that_takes_longer_than_its_patience_it_checks_itself()
    {
        // The consensus thread must not wait on a gateway thread that the scheduler took off the core mid-check.
        using var checking = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int checks = 0;
        var verified = new VerifiedRequests(_ =>
        {
            if (Interlocked.Increment(ref checks) == 1)
            {
                checking.Set();
                Assert.True(release.Wait(Patience));
            }

            return TxCheck.Ok;
        }, capacity: 1_000, patience: TimeSpan.FromMilliseconds(1));
        SignedRequest request = Request(1);
        var first = new Thread(() => verified.Verify(request));
        first.Start();
        Assert.True(checking.Wait(Patience));

        Assert.True(verified.Verify(request).Accepted); // while the first check is still held
        Assert.Equal(2, checks);
        release.Set();
        Assert.True(first.Join(Patience));
    }

    [Fact]
    public void A_caller_waiting_on_a_check_that_throws_checks_the_request_itself_instead_of_taking_a_refusal()
    {
        // The first check fails (the application threw); a second caller waiting for that digest must end as it would
        // have alone: with its own check's outcome, here an acceptance, never a refusal it was not given.
        using var checking = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var secondWaiting = new ManualResetEventSlim();
        int checks = 0;
        var verified = new VerifiedRequests(_ =>
        {
            if (Interlocked.Increment(ref checks) == 1)
            {
                checking.Set();
                Assert.True(release.Wait(Patience));
                throw new InvalidOperationException("the application failed");
            }

            return TxCheck.Ok;
        }, capacity: 1_000, patience: Patience)
        { StartedWaitingForTests = secondWaiting.Set };
        SignedRequest request = Request(1);
        Exception? firstFailure = null;
        TxCheck secondAnswer = default;

        var first = new Thread(() => firstFailure = Record.Exception(() => verified.Verify(request)));
        first.Start();
        Assert.True(checking.Wait(Patience));
        var second = new Thread(() => secondAnswer = verified.Verify(SignedRequest.Decode(request.Encoded)));
        second.Start();
        Assert.True(secondWaiting.Wait(Patience));
        release.Set();

        Assert.True(first.Join(Patience) && second.Join(Patience));
        Assert.IsType<InvalidOperationException>(firstFailure);
        Assert.True(secondAnswer.Accepted, $"the waiting caller was refused: {secondAnswer.Reason}");
        Assert.Equal(2, checks);
    }

    [Fact]
    public void A_request_checked_just_before_the_cache_fills_is_still_known_after_it_turns_over()
    {
        const int capacity = 8;
        int checks = 0;
        var verified = new VerifiedRequests(_ =>
        {
            checks++;
            return TxCheck.Ok;
        }, capacity);
        for (ulong sequence = 1; sequence <= capacity + 2; sequence++)
        {
            Assert.True(verified.Verify(Request(sequence)).Accepted);
        }

        Assert.Equal(capacity + 2, checks);
        Assert.True(verified.Verify(Request(capacity + 1)).Accepted); // the last two are still in flight somewhere
        Assert.True(verified.Verify(Request(capacity + 2)).Accepted);
        Assert.Equal(capacity + 2, checks);
    }

    [Fact]
    public void A_refused_request_is_not_remembered_and_is_checked_again()
    {
        int checks = 0;
        var verified = new VerifiedRequests(_ =>
        {
            checks++;
            return TxCheck.Refuse(1, "bad signature");
        }, capacity: 1_000);
        SignedRequest request = Request(1);

        Assert.False(verified.Verify(request).Accepted);
        Assert.Equal("bad signature", verified.Verify(request).Reason);
        Assert.Equal(2, checks);
    }
}
