namespace SocialCrm.Grains;

/// <summary>The name of the grain storage every grain persists its state to.</summary>
public static class GrainStorage
{
    public const string Name = "socialcrm";
}
