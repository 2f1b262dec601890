namespace Lpp.Inference;

/// <summary>One part of the user message: text, an image or a video.</summary>
public abstract record PromptPart;

/// <summary>A text part.</summary>
/// <param name="Text">The text.</param>
public sealed record TextPart(string Text) : PromptPart;

/// <summary>An image part.</summary>
/// <param name="Url">A <c>data:</c> URI (files are inlined as one) or an http(s)/gs URL.</param>
/// <param name="MimeType">The media type, for example <c>image/jpeg</c>.</param>
public sealed record ImagePart(string Url, string MimeType) : PromptPart;

/// <summary>A video passed by reference (Gemini <c>fileData</c>); providers without video support describe it as text.</summary>
/// <param name="Uri">The video URI, for example <c>gs://bucket/v.mp4</c>.</param>
/// <param name="MimeType">The media type, for example <c>video/mp4</c>.</param>
public sealed record VideoPart(string Uri, string MimeType) : PromptPart;
