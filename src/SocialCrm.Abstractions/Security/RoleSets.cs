namespace SocialCrm.Abstractions.Security;

/// <summary>
/// The role matrix: which key roles may do what. The API's route policies and the web console's
/// screens both read it, so a button a role may not press is a route that role may not call.
/// </summary>
public static class RoleSets
{
    /// <summary>Read the inbox and conversations, reply, and move control (bots included).</summary>
    public static readonly Role[] Conversations = [Role.Admin, Role.Agent, Role.Bot];

    /// <summary>Agent work on a conversation: take private, publish a quote, assign, status.</summary>
    public static readonly Role[] AgentWork = [Role.Admin, Role.Agent];

    /// <summary>Customers' profiles, identities and consent as shown to people who serve or review them.</summary>
    public static readonly Role[] CustomerProfiles = [Role.Admin, Role.Agent, Role.Compliance];

    /// <summary>Consent reports, audit log, access exports and erasure.</summary>
    public static readonly Role[] Compliance = [Role.Admin, Role.Compliance];

    /// <summary>Brand mood, terms and alerts.</summary>
    public static readonly Role[] Insights = [Role.Admin, Role.Agent];

    /// <summary>Channels, API keys, webhooks, settings, lexicon.</summary>
    public static readonly Role[] Administration = [Role.Admin];

    /// <summary>Reading channels and posting on them.</summary>
    public static readonly Role[] ChannelUse = [Role.Admin, Role.Agent];

    /// <summary>The brand's live event stream.</summary>
    public static readonly Role[] LiveEvents = [Role.Admin, Role.Agent];

    /// <summary>Message ingestion from a platform adapter or gateway.</summary>
    public static readonly Role[] Ingest = [Role.Admin, Role.Ingest];

    /// <summary>Reading a webhook's deliveries and redelivering.</summary>
    public static readonly Role[] WebhookDeliveries = [Role.Admin, Role.Bot];

    /// <summary>Whether a role is in a set.</summary>
    public static bool Allows(this Role[] set, Role role) => Array.IndexOf(set, role) >= 0;
}
