namespace Lpp.Serving.Tests;

/// <summary>
/// The group commit's rules on their own, with a commit that fails on the writes a test chooses: when a batch is
/// retried one write per transaction, and which failures count towards readiness. The stores' contract tests
/// (<see cref="AuditStoreContract"/>) show the same against real databases.
/// </summary>
public sealed class AuditWriteQueueTests
{
    private static readonly ServedModel Served = ServedModel.From(File.ReadAllBytes(ServeTestData.HandModel), DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task CommitAsync_OneWriteAtFault_RetriedOnePerTransactionAndOnlyItFails()
    {
        // Given a batch of three decisions whose commit fails whenever it holds the second (a fault of the writes)
        var queue = new AuditWriteQueue(null);
        var writes = new[] { Decision(), Decision(), Decision() };
        var commits = new List<int>();
        ValueTask Commit(IReadOnlyList<AuditWrite> batch)
        {
            commits.Add(batch.Count);
            return batch.Contains(writes[1]) ? throw new InvalidOperationException("refused") : ValueTask.CompletedTask;
        }

        // When it is committed
        await queue.CommitAsync([.. writes], Commit, _ => AuditWriteQueue.Fault.Writes);

        // Then the batch was tried once, then each write alone: only the second failed, and the queue is healthy
        Assert.Equal([3, 1, 1, 1], commits);
        Assert.Equal([TaskStatus.RanToCompletion, TaskStatus.Faulted, TaskStatus.RanToCompletion], writes.Select(w => w.Task.Status));
        Assert.True(queue.Healthy);
    }

    [Fact]
    public async Task CommitAsync_StoreAtFault_NotRetriedAndEveryWriteFails()
    {
        // Given a batch of three decisions whose commit fails for the store (a full disk: every write would fail alike)
        var queue = new AuditWriteQueue(null);
        var writes = new[] { Decision(), Decision(), Decision() };
        var commits = 0;

        // When it is committed
        await queue.CommitAsync([.. writes], _ => ++commits > 0 ? throw new InvalidOperationException("disk full") : ValueTask.CompletedTask, _ => AuditWriteQueue.Fault.Store);

        // Then it was tried once and every write failed with the store's error
        Assert.Equal(1, commits);
        Assert.All(writes, w => Assert.Equal("disk full", w.Task.Exception!.InnerException!.Message));
    }

    [Fact]
    public async Task Healthy_FailuresOfReviewsClaimsAndPublications_NeverCount()
    {
        // Given a queue whose commits all fail
        var queue = new AuditWriteQueue(null);
        var healthy = new List<bool>();

        // When five batches of reviews, claims and model publications fail
        for (var i = 0; i < 5; i++)
        {
            await queue.CommitAsync([Review(), Claim(), new AuditWrite(Served, i)], Refuse, _ => AuditWriteQueue.Fault.Writes);
            healthy.Add(queue.Healthy);
        }

        // Then the queue stays healthy: only decisions count towards readiness
        Assert.Equal(Enumerable.Repeat(true, 5), healthy);
    }

    [Fact]
    public async Task Healthy_BatchesWhoseDecisionsAllFailed_UnhealthyAfterThreeUntilADecisionOrProbeCommits()
    {
        // Given a queue
        var queue = new AuditWriteQueue(null);
        var healthy = new List<bool>();

        // When three batches holding decisions fail (one with a review that alone would commit), a decision
        // commits, three more fail, then a probe fails and a probe commits
        await queue.CommitAsync([Decision()], Refuse, _ => AuditWriteQueue.Fault.Store);
        healthy.Add(queue.Healthy);
        var review = Review();
        await queue.CommitAsync([Decision(), review], batch => batch.Contains(review) && batch.Count == 1 ? ValueTask.CompletedTask : Refuse(batch), _ => AuditWriteQueue.Fault.Writes);
        healthy.Add(queue.Healthy);
        await queue.CommitAsync([Decision(), Decision()], Refuse, _ => AuditWriteQueue.Fault.Writes);
        healthy.Add(queue.Healthy);
        await queue.CommitAsync([Decision()], _ => ValueTask.CompletedTask, _ => AuditWriteQueue.Fault.Writes);
        healthy.Add(queue.Healthy);
        for (var i = 0; i < 3; i++)
        {
            await queue.CommitAsync([Decision()], Refuse, _ => AuditWriteQueue.Fault.Store);
        }

        healthy.Add(queue.Healthy);
        queue.Probed(committed: false);
        healthy.Add(queue.Healthy);
        queue.Probed(committed: true);
        healthy.Add(queue.Healthy);

        // Then it is unhealthy after the third failed batch, healthy once a decision commits, unhealthy again after
        // three more, still after a failed probe, healthy after one that committed; the review committed alone
        Assert.Equal([true, true, false, true, false, false, true], healthy);
        Assert.Equal(TaskStatus.RanToCompletion, review.Task.Status);
        Assert.Equal(2, queue.Probes);
    }

    private static ValueTask Refuse(IReadOnlyList<AuditWrite> batch) => throw new InvalidOperationException("refused");

    private static AuditWrite Decision()
    {
        var body = System.Text.Encoding.UTF8.GetBytes(ServeTestData.HandRecords[0]);
        return new AuditWrite(new AuditRequest(Guid.NewGuid(), Served, "test", 0, body, [new(RoutingReason.Confident, Queues.Auto, 0.9, 0.1, 0..body.Length, -1)], 1));
    }

    private static AuditWrite Review() => new(new AuditReview("d", "True", "ann", "test", 0));

    private static AuditWrite Claim() => new(new ClaimRequest(Queues.Review, "ann", 1, 0, 1));
}
