using Microsoft.AspNetCore.Http;

namespace Lpp.Serving.Tests;

/// <summary>Reading a request body into a pooled array that grows with the bytes received.</summary>
public sealed class RequestBodyTests
{
    [Fact]
    public async Task ReadAsync_ContentLengthFarOverTheBytesSent_FirstBufferNotSizedByIt()
    {
        // Given a request that claims 40 MB, within a 50 MB limit, and sends a short record
        var sent = "{\"id\": \"a\", \"labels\": [\"0\"]}"u8.ToArray();
        var context = new DefaultHttpContext();
        context.Request.ContentLength = 40_000_000;
        context.Request.Body = new MemoryStream(sent);

        // When it is read (synchronously: the stream holds the bytes), counting what this thread allocates
        var before = GC.GetAllocatedBytesForCurrentThread();
        var reading = RequestBody.ReadAsync(context.Request, 50_000_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(reading.IsCompletedSuccessfully);
        using var body = await reading;

        // Then the bytes sent are read into a first buffer of at most 64 KiB (rounded up by the pool), not one of the
        // claimed 40 MB: a client cannot make the server allocate the limit by announcing it
        Assert.Equal(sent, body!.Memory.ToArray());
        Assert.InRange(allocated, 0, 1 << 20);
    }
}
