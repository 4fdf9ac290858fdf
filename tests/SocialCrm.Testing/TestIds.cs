namespace SocialCrm.Testing;

/// <summary>Ids a test makes for what it creates, unique per call so tests that share a node or a cluster never meet.</summary>
public static class TestIds
{
    public static string New(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];
}
