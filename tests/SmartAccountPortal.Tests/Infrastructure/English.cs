namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>The portal's English texts by key, for tests that read pages in English.</summary>
public static class English
{
    public static string Text(string key) => SmartAccountPortal.Localization.Texts.All("en")[key];
}
