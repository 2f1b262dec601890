namespace Lpp.Serving.Tests;

/// <summary>Reading a changed model file (<see cref="ModelSlot.CheckFile"/>, which the watcher calls once the file settles).</summary>
public sealed class ModelSlotTests
{
    private const string Refused = "lpp_model_reloads_total{result=\"refused\"}";

    [Fact]
    public async Task CheckFile_HalfCopiedThenComplete_SwappedWithoutARefusal()
    {
        // Given a server on model A not watching its file, and model B's bytes
        await using var host = await ServeHost.StartAsync(o => o with { WatchModel = false });
        var b = ServeTestData.ModelBBytes;

        // When the file holds the first half of B when looked at, then all of it
        await File.WriteAllBytesAsync(host.ModelPath, b[..(b.Length / 2)], TestContext.Current.CancellationToken);
        var half = host.Server.Models.CheckFile();
        await File.WriteAllBytesAsync(host.ModelPath, b, TestContext.Current.CancellationToken);
        var whole = host.Server.Models.CheckFile();

        // Then the half file was left to settle, the whole one swapped in, and nothing was counted as refused
        Assert.Equal(ModelSlot.FileCheck.Settling, half);
        Assert.Equal(ModelSlot.FileCheck.Swapped, whole);
        Assert.Equal(EscalationModelFile.Checksum(EscalationModelFile.Parse(b)), host.Server.Model.Checksum);
        Assert.Equal(0, host.Metric(Refused));
    }

    [Fact]
    public async Task CheckFile_SameInvalidBytesTwice_RefusedOnceAndOldModelKept()
    {
        // Given a server on model A not watching its file
        await using var host = await ServeHost.StartAsync(o => o with { WatchModel = false });
        var checksumA = host.Server.Model.Checksum;

        // When the file holds an invalid model, then another, then the second again
        await File.WriteAllTextAsync(host.ModelPath, "{\"format\": \"lpp-escalation-model\"", TestContext.Current.CancellationToken);
        var firstLook = host.Server.Models.CheckFile();
        await File.WriteAllTextAsync(host.ModelPath, "{\"format\": \"lpp-escalation-model\", \"format_version\": 1", TestContext.Current.CancellationToken);
        var changed = host.Server.Models.CheckFile();
        var stayed = host.Server.Models.CheckFile();

        // Then only the file that stayed invalid is refused, counted once, and model A keeps serving
        Assert.Equal(ModelSlot.FileCheck.Settling, firstLook);
        Assert.Equal(ModelSlot.FileCheck.Settling, changed);
        Assert.Equal(ModelSlot.FileCheck.Refused, stayed);
        Assert.Equal(1, host.Metric(Refused));
        Assert.Equal(checksumA, host.Server.Model.Checksum);
    }

    [Fact]
    public async Task CheckFile_FileMissing_SettlingThenRefusedWhileStillMissing()
    {
        // Given a server on model A not watching its file
        await using var host = await ServeHost.StartAsync(o => o with { WatchModel = false });

        // When the file is deleted and looked at twice
        File.Delete(host.ModelPath);
        var firstLook = host.Server.Models.CheckFile();
        var secondLook = host.Server.Models.CheckFile();

        // Then a moment's absence is not a refusal, one that lasts is
        Assert.Equal(ModelSlot.FileCheck.Settling, firstLook);
        Assert.Equal(ModelSlot.FileCheck.Refused, secondLook);
    }
}
