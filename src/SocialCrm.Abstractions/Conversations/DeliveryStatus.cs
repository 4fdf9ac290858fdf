namespace SocialCrm.Abstractions.Conversations;

/// <summary>Where an outbound message stands with its platform (wire names: pending, sent, failed, cancelled by an erasure).</summary>
public enum DeliveryStatus { Pending, Sent, Failed, Cancelled }
