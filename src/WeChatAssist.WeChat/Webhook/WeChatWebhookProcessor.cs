using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Security;

namespace WeChatAssist.WeChat.Webhook;

/// <summary>
/// The webhook protocol: signature and freshness checks, bounded body reading, safe-mode decryption, hardened parsing,
/// de-duplication, the reply budget and the passive reply. Every failure maps to 400/401/404/413; nothing escapes as a 5xx.
/// </summary>
internal sealed partial class WeChatWebhookProcessor
{
    private const int MaxLoggedXml = 2048;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly WeChatAccountResolver _accounts;
    private readonly SafeModeCipherCache _ciphers;
    private readonly IMessageDeduplicator _deduplicator;
    private readonly IDeferredReplySender _deferred;
    private readonly IServiceScopeFactory _scopes;
    private readonly DeferredWorkTracker _deferredWork;
    private readonly ILogger<WeChatWebhookProcessor> _logger;

    // The real clock on purpose: replay protection must never follow an application or demo clock.
    private readonly TimeProvider _clock = TimeProvider.System;

    // Rebuilt only if MaxBodyBytes changes, so the hardened reader settings are created once.
    private WeChatXmlLimits _limits = WeChatXmlLimits.Default;

    public WeChatWebhookProcessor(
        WeChatAccountResolver accounts,
        SafeModeCipherCache ciphers,
        IMessageDeduplicator deduplicator,
        IDeferredReplySender deferred,
        IServiceScopeFactory scopes,
        DeferredWorkTracker deferredWork,
        ILogger<WeChatWebhookProcessor> logger)
    {
        _accounts = accounts;
        _ciphers = ciphers;
        _deduplicator = deduplicator;
        _deferred = deferred;
        _scopes = scopes;
        _logger = logger;
        _deferredWork = deferredWork;
    }

    /// <summary>URL verification: echo <c>echostr</c> when the signature is valid.</summary>
    public WebhookOutcome Verify(string account, IQueryCollection query, WeChatAccountKind kind = WeChatAccountKind.OfficialAccount)
    {
        try
        {
            if (!_accounts.TryGet(account, out var a) || a.Kind != kind)
                return WebhookOutcome.NotFound;
            if (!TryCheckUrlSignature(a, query, required: true, out _, out _))
                return WebhookOutcome.Unauthorized;
            var echo = Single(query, "echostr");
            return echo is null ? WebhookOutcome.BadRequest : WebhookOutcome.Text(echo);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnexpected(_logger, account, ex);
            return WebhookOutcome.BadRequest;
        }
    }

    /// <summary>A pushed message or event. Mini-program pushes may be JSON or XML (the format chosen in the console),
    /// and are never answered passively: the handler's reply goes out through the customer-service API.</summary>
    public async Task<WebhookOutcome> ReceiveAsync(string account, HttpRequest request, CancellationToken cancellationToken, WeChatAccountKind kind = WeChatAccountKind.OfficialAccount)
    {
        var started = WeChatMetrics.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        try
        {
            var outcome = await ReceiveCoreAsync(account, request, kind, cancellationToken).ConfigureAwait(false);
            if (WeChatMetrics.Enabled)
                WeChatMetrics.Received(outcome.StatusCode == 404 ? null : account, ResultOf(outcome), started);
            return outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away; nobody reads this answer.
            return WebhookOutcome.BadRequest;
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own verdict on the body (malformed chunking, too slow, too large).
            LogRejected(_logger, account, ex.Message);
            return new WebhookOutcome(ex.StatusCode is >= 400 and < 500 ? ex.StatusCode : 400, null, WebhookOutcome.PlainText);
        }
        catch (Exception ex)
        {
            LogUnexpected(_logger, account, ex);
            return WebhookOutcome.Success;
        }
    }

    private async Task<WebhookOutcome> ReceiveCoreAsync(string account, HttpRequest request, WeChatAccountKind kind, CancellationToken cancellationToken)
    {
        if (!_accounts.TryGet(account, out var a) || a.Kind != kind)
            return WebhookOutcome.NotFound;
        var miniProgram = kind == WeChatAccountKind.MiniProgram;
        var options = _accounts.Options;
        var query = request.Query;
        var encrypted = string.Equals(Single(query, "encrypt_type"), "aes", StringComparison.OrdinalIgnoreCase);

        // Plaintext pushes are authenticated only by the URL signature; safe mode may omit it and rely on msg_signature.
        if (!TryCheckUrlSignature(a, query, required: !encrypted, out var timestamp, out var nonce))
        {
            LogRejected(_logger, account, "bad signature or stale timestamp");
            return WebhookOutcome.Unauthorized;
        }

        var (body, tooLarge) = await ReadBodyAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (tooLarge)
            return WebhookOutcome.TooLarge;
        if (body is null)
        {
            LogRejected(_logger, account, "empty or non-UTF-8 body");
            return WebhookOutcome.BadRequest;
        }

        var limits = LimitsFor(options.MaxBodyBytes);
        if (!TryParseDocument(body, miniProgram, limits, out var envelope, out var xmlError))
        {
            LogRejected(_logger, account, xmlError ?? "malformed XML");
            return WebhookOutcome.BadRequest;
        }

        string messageXml;
        WeChatXmlElement messageRoot;
        SafeModeCipher? cipher = null;
        if (encrypted)
        {
            if (!a.UsesEncryption)
            {
                LogRejected(_logger, account, "encrypted push to a plaintext-mode account");
                return WebhookOutcome.BadRequest;
            }
            var encrypt = envelope!.ChildValue("Encrypt");
            if (string.IsNullOrEmpty(encrypt))
            {
                LogRejected(_logger, account, "no Encrypt element");
                return WebhookOutcome.BadRequest;
            }
            if (!Signatures.VerifyMessageSignature(a.Token, timestamp, nonce, encrypt, Single(query, "msg_signature")))
            {
                LogRejected(_logger, account, "bad msg_signature");
                return WebhookOutcome.Unauthorized;
            }
            cipher = _ciphers.Get(a.EncodingAESKey, a.AppId);
            if (!cipher.TryDecrypt(encrypt, out messageXml, out var cryptoError))
            {
                LogRejected(_logger, account, "decryption failed: " + cryptoError);
                return WebhookOutcome.BadRequest;
            }
            if (!TryParseDocument(messageXml, miniProgram, limits, out var inner, out xmlError))
            {
                LogRejected(_logger, account, "decrypted " + (xmlError ?? "malformed XML"));
                return WebhookOutcome.BadRequest;
            }
            messageRoot = inner!;
        }
        else
        {
            if (a.UsesEncryption)
            {
                // With a key configured, plaintext bodies would be unauthenticated (the URL signature does not cover the body).
                LogRejected(_logger, account, "plaintext push to a safe-mode account");
                return WebhookOutcome.BadRequest;
            }
            messageXml = body;
            messageRoot = envelope!;
        }

        if (!InboundMessageParser.TryCreate(messageRoot, messageXml, out var message, out var parseError))
        {
            LogRejected(_logger, account, parseError ?? "not a WeChat message");
            return WebhookOutcome.BadRequest;
        }
        if (message is UnknownMessage or UnknownEvent)
            LogUnknownType(_logger, account, message!.MsgType, (message as InboundEvent)?.Event ?? string.Empty,
                messageXml.Length <= MaxLoggedXml ? messageXml : messageXml[..MaxLoggedXml] + "…");

        if (!await ClaimAsync(account, message!, options.DeduplicationWindow, cancellationToken).ConfigureAwait(false))
        {
            LogDuplicate(_logger, account, message!.DeduplicationKey);
            return Duplicate;
        }

        var reply = await HandleWithinBudgetAsync(account, a, message!, options).ConfigureAwait(false);
        // Unknown types are shown to the handler (to record them) but always answered "success".
        if (reply is null || message is UnknownMessage or UnknownEvent)
            return WebhookOutcome.Success;
        if (miniProgram)
        {
            // A mini-program's customer-service chat takes no passive reply: answer "success" now, send through the API.
            _deferredWork.Track(DeliverLaterAsync(account, message!.FromUserName, Task.FromResult<WeChatReply?>(reply), send: true, _deferredWork.Aborted));
            return WebhookOutcome.Success;
        }

        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var xml = PassiveReplyWriter.Write(reply, message!.FromUserName, message.ToUserName, now);
        if (cipher is null)
            return WebhookOutcome.XmlBody(xml);
        var replyNonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        return WebhookOutcome.XmlBody(PassiveReplyWriter.WriteEncrypted(xml, cipher, a.Token, now, replyNonce));
    }

    /// <summary>XML, or — for a mini-program — JSON when the document starts with an object.</summary>
    private static bool TryParseDocument(string document, bool miniProgram, WeChatXmlLimits limits, out WeChatXmlElement? root, out string? error) =>
        miniProgram && document.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal)
            ? WeChatJsonReader.TryParse(document, limits, out root, out error)
            : WeChatXmlReader.TryParse(document, limits, out root, out error);
    // The same answer as Success; its body is a string instance of its own so the metrics can tell a retry apart.
    private static readonly WebhookOutcome Duplicate = WebhookOutcome.Success with { Body = new StringBuilder(WebhookOutcome.Success.Body).ToString() };

    private static string ResultOf(WebhookOutcome outcome) =>
        outcome.StatusCode != 200 ? "rejected"
        : ReferenceEquals(outcome.Body, Duplicate.Body) ? "duplicate"
        : outcome.ContentType == WebhookOutcome.Xml ? "replied"
        : "success";

    private WeChatXmlLimits LimitsFor(int maxBodyBytes)
    {
        var limits = _limits;
        if (limits.MaxCharacters != maxBodyBytes)
            _limits = limits = new WeChatXmlLimits { MaxCharacters = maxBodyBytes };
        return limits;
    }

    private async ValueTask<bool> ClaimAsync(string account, InboundMessage message, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            return await _deduplicator.TryClaimAsync(account, message.DeduplicationKey, ttl, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Answering twice is better than dropping a resident's question because the store is down.
            LogDeduplicationFailed(_logger, account, ex);
            return true;
        }
    }

    private async Task<WeChatReply?> HandleWithinBudgetAsync(string account, WeChatAccountOptions a, InboundMessage message, WeChatOptions options)
    {
        var context = new WeChatMessageContext(account, a.AppId, a.PolicyId, message);
        // Not ApplicationStopping: late answers should still go out during a graceful shutdown.
        var stopping = _deferredWork.Aborted;
        // No timer on the fast path: the hard timeout is armed only once the handler overruns its budget.
        var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var work = RunHandlerAsync(context, cts);
        if (!work.IsCompleted)
        {
            var finished = await Task.WhenAny(work, Task.Delay(options.ReplyBudget, _clock)).ConfigureAwait(false);
            if (finished != work)
            {
                try
                {
                    cts.CancelAfter(options.DeferredHandlerTimeout);
                }
                catch (ObjectDisposedException)
                {
                    // The handler finished in the meantime.
                }
                LogDeferred(_logger, account, message.DeduplicationKey, options.ReplyBudget);
                _deferredWork.Track(DeliverLaterAsync(account, message.FromUserName, work, send: message is not (UnknownMessage or UnknownEvent), stopping));
                return null;
            }
        }
        return await work.ConfigureAwait(false);
    }

    /// <remarks>Handlers must be asynchronous: one that blocks synchronously holds the request past its budget.</remarks>
    private async Task<WeChatReply?> RunHandlerAsync(WeChatMessageContext context, CancellationTokenSource cts)
    {
        try
        {
            var scope = _scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var handler = scope.ServiceProvider.GetService<IWeChatMessageHandler>();
                if (handler is null)
                    return null;
                return await handler.HandleAsync(context, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            LogHandlerFailed(_logger, context.AccountName, context.Message.DeduplicationKey, ex);
            return null;
        }
        finally
        {
            cts.Dispose();
        }
    }

    private async Task DeliverLaterAsync(string account, string openId, Task<WeChatReply?> work, bool send, CancellationToken stopping)
    {
        try
        {
            var reply = await work.ConfigureAwait(false);
            if (reply is not null && send)
                await _deferred.SendAsync(account, openId, reply, stopping).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogDeferredFailed(_logger, account, ex);
        }
    }

    private bool TryCheckUrlSignature(WeChatAccountOptions a, IQueryCollection query, bool required, out string timestamp, out string nonce)
    {
        timestamp = Single(query, "timestamp") ?? string.Empty;
        nonce = Single(query, "nonce") ?? string.Empty;
        if (timestamp.Length is 0 or > 12 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if (nonce.Length is 0 or > 64)
            return false;
        // Compared as numbers: a huge timestamp must be "stale", not an out-of-range exception.
        var skew = Math.Abs(_clock.GetUtcNow().ToUnixTimeSeconds() - seconds);
        if (skew > (long)_accounts.Options.TimestampTolerance.TotalSeconds)
            return false;

        var signature = Single(query, "signature");
        if (signature is null)
            return !required;
        return Signatures.VerifyUrlSignature(a.Token, timestamp, nonce, signature);
    }

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out StringValues values) && values.Count == 1 ? values[0] : null;

    /// <summary>Reads at most <paramref name="limit"/> bytes; (null, true) when larger, (null, false) when empty or not UTF-8.</summary>
    private static async Task<(string? Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
            return (null, true);

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, 16 * 1024));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                        return (null, true);
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                length += read;
                if (length > limit)
                    return (null, true);
            }
            if (length == 0)
                return (null, false);
            try
            {
                var span = buffer.AsSpan(0, length);
                // A UTF-8 BOM is legal in front of XML.
                if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                    span = span[3..];
                return (StrictUtf8.GetString(span), false);
            }
            catch (DecoderFallbackException)
            {
                return (null, false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "WeChat push to {Account} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string account, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "WeChat push to {Account} is a repeat ({Key}); answered success")]
    private static partial void LogDuplicate(ILogger logger, string account, string key);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "WeChat push to {Account} has an unmodelled type {MsgType}/{Event}; answered success. Raw: {RawXml}")]
    private static partial void LogUnknownType(ILogger logger, string account, string msgType, string @event, string rawXml);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Handler for {Account} ({Key}) exceeded {Budget}; answered success, reply will go through the customer-service API")]
    private static partial void LogDeferred(ILogger logger, string account, string key, TimeSpan budget);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Handler for {Account} ({Key}) failed")]
    private static partial void LogHandlerFailed(ILogger logger, string account, string key, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "Deferred reply on {Account} failed")]
    private static partial void LogDeferredFailed(ILogger logger, string account, Exception exception);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Error, Message = "De-duplication store failed for {Account}; processing the push anyway")]
    private static partial void LogDeduplicationFailed(ILogger logger, string account, Exception exception);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "Unexpected failure on the WeChat webhook for {Account}; answered without a 5xx")]
    private static partial void LogUnexpected(ILogger logger, string account, Exception exception);
}
