using Microsoft.Extensions.Logging;
using SocialCrm.Abstractions.Channels;
using SocialCrm.Abstractions.Conversations;
using SocialCrm.Abstractions.Customers;
using SocialCrm.Abstractions.Security;
using SocialCrm.Channels.Outbound;
using SocialCrm.Grains.Channels;
using SocialCrm.Persistence.Conversations;

namespace SocialCrm.Grains.Conversations;

/// <summary>
/// The conversation's outbox, sent in seq order: the head holds back the rest, so replies arrive in
/// order; a failed head waits for its retry. One dispatch loop at a time per activation.
/// </summary>
/// <remarks>
/// Concurrency: the loop is started by <see cref="Kick"/> from a turn of the grain (a command, the
/// activation, or the retry timer's tick), so it and all its continuations run on the grain's own
/// scheduler, one at a time with the grain's turns, never on a thread-pool thread beside them. It is
/// deliberately not a turn of its own: a grain timer or a call to the grain itself would make every
/// command queue behind a platform that answers in seconds, and a call from the loop to a grain that
/// is calling this one (an alias conversation forwarding a message, a customer being erased) would
/// deadlock. So commands run between the loop's awaits; they only add to the outbox's tail or empty
/// it (an erasure), and the loop checks its head again after every await. <c>_dispatching</c> keeps
/// it to one loop; the retry timer interleaves (it only calls <see cref="Kick"/>).
/// </remarks>
internal sealed class OutboundDispatch(
    IGrainBase grain,
    IGrainFactory grains,
    string brandId,
    string conversationId,
    IPersistentState<ConversationState> state,
    ConversationLog conversationLog,
    MessageLog log,
    OutboundSenders senders,
    OutboundOptions options,
    ILogger logger,
    TimeProvider clock)
{
    private readonly List<PendingDelivery> _outbox = [];
    private bool _dispatching;
    private IGrainTimer? _timer;

    /// <summary>A broadcast's post as the platform named it once published (its first message's external id).</summary>
    public string? PlatformPostId { get; set; }

    private ConversationState Conversation => state.State;

    /// <summary>Replies accepted before a crash or a move to another silo, still owed a send.</summary>
    public void Restore(IEnumerable<PendingDelivery> pending) => _outbox.AddRange(pending);

    public void Enqueue(PendingDelivery delivery) => _outbox.Add(delivery);

    /// <summary>Their pending replies were cancelled in the log by an erasure: drops the copies this activation holds.</summary>
    public void Clear() => _outbox.Clear();

    /// <summary>Starts the loop at once unless it runs, has nothing to send, or waits for a retry.</summary>
    public void Kick()
    {
        if (_dispatching || _outbox.Count == 0 || _timer is not null) return;
        _dispatching = true;
        // Not awaited: the caller's turn ends while the loop goes on, on this grain's scheduler (see remarks).
        _ = DispatchAsync();
    }

    private void ScheduleRetry(TimeSpan after)
    {
        _timer?.Dispose();
        _timer = grain.RegisterGrainTimer(_ =>
        {
            _timer?.Dispose();
            _timer = null;
            Kick();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions { DueTime = after, Period = Timeout.InfiniteTimeSpan, KeepAlive = true, Interleave = true });
    }

    private async Task DispatchAsync()
    {
        // Timer turns start without a request context: the conversation acts for its own brand, and no other.
        BrandContext.Set(brandId);
        TimeSpan? retryAfter = null;
        try
        {
            var channel = grains.GetGrain<IChannelGrain>(Ids.Scoped(brandId, Conversation.ChannelId));
            var target = await channel.DeliveryTarget();
            if (AccessTokens.DueForRenewal(target, clock.GetUtcNow())) target = await channel.RenewAccessToken(target!.Secrets!.AccessToken);
            var privateCustomer = Conversation.Visibility == Visibility.Private ? Conversation.CustomerId : null;
            var recipient = target is not null && privateCustomer is not null && target.Platform != Platform.WebChat
                ? await grains.GetGrain<ICustomerGrain>(Ids.Scoped(brandId, privateCustomer)).PlatformUserId(target.Platform)
                : null;
            while (_outbox.Count > 0)
            {
                var next = _outbox[0];
                var isPost = Conversation.Kind == ConversationKind.Broadcast && next.Seq == 1;
                var message = target is null ? null : new OutboundMessage(brandId, Conversation.ChannelId, target.Platform, conversationId,
                    next.MessageId, next.Seq, next.Body ?? "", Conversation.Visibility, PlatformPostId ?? Conversation.ExternalThreadId,
                    privateCustomer)
                {
                    AccountId = target.ExternalAccountId,
                    RecipientUserId = recipient,
                    InReplyTo = next.InReplyTo,
                    IsPost = isPost,
                    AfterStandardWindow = MessagingWindow.ClosesAt(target.Platform, Conversation.Visibility,
                        conversationLog.LastCustomerMessageAt) is { } closes && clock.GetUtcNow() > closes,
                    ByHumanAgent = next.AuthorType == AuthorType.Agent,
                };
                var result = message is null
                    ? DeliveryResult.Failed("The channel no longer exists.", permanent: true)
                    : await senders.SendAsync(message, target!.Secrets, CancellationToken.None);
                // A refused token: renewed once (or by another conversation meanwhile), and the message sent once more with the new one.
                if (result.TokenRejected && message is not null && target is not null)
                {
                    var renewed = await channel.RenewAccessToken(target.Secrets?.AccessToken);
                    if (renewed is not null && AccessTokens.Differ(renewed, target))
                    {
                        target = renewed;
                        result = await senders.SendAsync(message, target.Secrets, CancellationToken.None);
                    }
                }
                // An erasure may have cancelled this message while it was on its way.
                if (_outbox.Count == 0 || _outbox[0].Seq != next.Seq) continue;
                var attempts = next.Attempts + 1;
                if (result.Delivered)
                {
                    await log.UpdateDeliveryAsync(brandId, conversationId, next.Seq, DeliveryStatus.Sent, attempts, null, result.ExternalId);
                    _outbox.RemoveAt(0);
                    if (target is not null) recipient = await LearnFromSentAsync(target.Platform, next, isPost, result) ?? recipient;
                    continue;
                }
                if (result.Permanent || attempts >= options.MaxAttempts)
                {
                    logger.LogWarning("Outbound message {MessageId} failed after {Attempts} attempts: {Error}", next.MessageId, attempts, result.Error);
                    await log.UpdateDeliveryAsync(brandId, conversationId, next.Seq, DeliveryStatus.Failed, attempts, result.Error);
                    _outbox.RemoveAt(0);
                    continue;
                }
                await log.UpdateDeliveryAsync(brandId, conversationId, next.Seq, DeliveryStatus.Pending, attempts, result.Error);
                _outbox[0] = next with { Attempts = attempts };
                retryAfter = options.BackoffAfter(attempts);
                return;
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Outbound dispatch of conversation {ConversationId} stopped; it resumes on the next kick.", conversationId);
            retryAfter = options.BackoffAfter(1);
        }
        finally
        {
            _dispatching = false;
            if (retryAfter is { } after) ScheduleRetry(after);
        }
    }

    /// <summary>
    /// What the platform's answer to a sent message tells, kept at best (the message is sent whatever
    /// happens here). A post's id, and on X a public reply's id: what answers it arrives under that
    /// id and must find this conversation. After a private reply by comment, the customer's own id on
    /// the platform, which later replies go to; it is returned.
    /// </summary>
    private async Task<string?> LearnFromSentAsync(Platform platform, PendingDelivery sent, bool isPost, DeliveryResult result)
    {
        try
        {
            if (result.ExternalId is { } id && id != Conversation.ExternalThreadId
                && (isPost || (platform == Platform.X && Conversation.Visibility == Visibility.Public)))
            {
                if (isPost) PlatformPostId = id;
                await grains.GetGrain<IConversationGrain>(
                    Ids.Scoped(brandId, ConversationAddress.ForPublicThread(Conversation.ChannelId, id))).PointTo(conversationId);
            }
            if (Conversation.Visibility == Visibility.Private && sent.InReplyTo is not null && result.RecipientId is { } recipient
                && Conversation.CustomerId is { } customer)
            {
                await grains.GetGrain<IIdentityGrain>(IdentityAddress.Of(brandId, platform, recipient)).Link(customer);
                return recipient;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning("What the platform answered to message {MessageId} could not be kept: {Error}", sent.MessageId, ex.GetType().Name);
        }
        return null;
    }
}
