namespace Lpp.Inference.Tests;

public sealed class MediaReferenceTests
{
    private static readonly Concept Hate = ModerationDataset.Concepts[1];

    // The 8-byte PNG signature (PNG specification, section 5.2) followed by a few bytes.
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    [Fact]
    public void Image_LocalFileWithoutMediaRoot_IsRefused()
    {
        using var temp = new TempDir();
        var path = WriteBytes(temp, "a.png", Png);

        var e = Assert.Throws<MediaRefusedException>(() => Build(path, new MediaOptions()));

        Assert.Contains("--media-root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_RelativePathUnderTheRoot_IsInlinedWithTheTypeFromItsBytes()
    {
        // Given a PNG named .jpg under the media root
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.File("img"));
        WriteBytes(temp, Path.Combine("img", "a.jpg"), Png);

        var prompt = Build("img/a.jpg", new MediaOptions { Root = temp.Path });

        var image = Assert.IsType<ImagePart>(prompt.User[1]);
        Assert.Equal("image/png", image.MimeType);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), image.Url);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/proc/self/environ")]
    [InlineData("../outside.png")]
    [InlineData("root/../../outside.png")]
    public void Image_PathOutsideTheRoot_IsRefused(string reference)
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.File("root"));
        WriteBytes(temp, "outside.png", Png);
        var root = temp.File("root");

        var e = Assert.Throws<MediaRefusedException>(() => Build(reference.Replace("root/", root + "/", StringComparison.Ordinal), new MediaOptions { Root = root }));

        Assert.Contains("outside the media root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_SymlinkInsideTheRootToAFileOutside_IsRefused()
    {
        // Given a link inside the root to a PNG outside it, and a linked folder leading outside
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.File("root"));
        var outside = WriteBytes(temp, "secret.png", Png);
        File.CreateSymbolicLink(temp.File("root/link.png"), outside);
        Directory.CreateSymbolicLink(temp.File("root/up"), temp.Path);
        var media = new MediaOptions { Root = temp.File("root") };

        Assert.Contains("outside the media root", Assert.Throws<MediaRefusedException>(() => Build("link.png", media)).Message, StringComparison.Ordinal);
        Assert.Contains("outside the media root", Assert.Throws<MediaRefusedException>(() => Build("up/secret.png", media)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_SymlinkInsideTheRootToAFileInside_IsRead()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.File("root"));
        var target = WriteBytes(temp, "root/real.png", Png);
        File.CreateSymbolicLink(temp.File("root/link.png"), target);

        var prompt = Build("link.png", new MediaOptions { Root = temp.File("root") });

        Assert.Equal("image/png", Assert.IsType<ImagePart>(prompt.User[1]).MimeType);
    }

    [Fact]
    public void Image_NotARegularFileTooLargeOrNotAnImage_IsRefused()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp.File("folder"));
        WriteBytes(temp, "big.png", [.. Png, .. new byte[100]]);
        temp.Write("text.png", "root:x:0:0:root:/root:/bin/bash");
        temp.Write("empty.png", string.Empty);
        var media = new MediaOptions { Root = temp.Path, MaxBytes = 50 };

        Assert.Contains("not found", Assert.Throws<MediaRefusedException>(() => Build("folder", media)).Message, StringComparison.Ordinal);
        Assert.Contains("more than --max-media-bytes 50", Assert.Throws<MediaRefusedException>(() => Build("big.png", media)).Message, StringComparison.Ordinal);
        Assert.Contains("not a JPEG, PNG, GIF or WebP image", Assert.Throws<MediaRefusedException>(() => Build("text.png", media)).Message, StringComparison.Ordinal);
        Assert.Contains("empty or not a regular file", Assert.Throws<MediaRefusedException>(() => Build("empty.png", media)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0 }, "image/gif")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50, 0 }, "image/webp")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x41, 0x56, 0x45, 0 }, null)]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46 }, null)]
    public void ImageTypeOf_LeadingBytes_NameTheType(byte[] bytes, string? expected)
    {
        // Signatures: JPEG SOI FF D8 FF, "GIF89a", "RIFF....WEBP" (a RIFF WAVE is not an image), "%PDF".
        Assert.Equal(expected, MediaReference.ImageTypeOf(bytes));
    }

    private static ChatPrompt Build(string reference, MediaOptions media) =>
        new PromptBuilder(PromptTemplates.Default, false, media).Build(new InferenceItem { Id = "a", Text = "t", Thumbnail = reference }, Hate);

    private static string WriteBytes(TempDir temp, string name, byte[] bytes)
    {
        var path = temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
