using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Api;

namespace WeChatAssist.Server.WeChat;

/// <summary>Pushes each account's configured custom menu with <c>cgi-bin/menu/create</c> once the server listens and
/// again whenever the setting changes (<see cref="IOptionsMonitor{TOptions}"/>), so a real account shows the same
/// menu as the simulator. A menu WeChat refuses is reported in one log line naming the button; start-up goes on and
/// the account keeps its previous menu.</summary>
internal sealed partial class AccountMenuPublisher(
    IOptionsMonitor<AccountMenuOptions> options,
    IWeChatApiClient wechat,
    IHostApplicationLifetime lifetime,
    ILogger<AccountMenuPublisher> logger) : BackgroundService
{
    private readonly Dictionary<string, string> _published = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _gate = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        // A push that failed for a passing reason (WeChat busy, the network, a slow start) is tried again, less often
        // each time; a refusal of the menu itself is logged once and waits for the setting to change.
        var delay = TimeSpan.FromSeconds(2);
        for (var attempt = 0; !await PublishChangedAsync(options.CurrentValue, stoppingToken) && attempt < 20; attempt++)
        {
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
        }

        using var subscription = options.OnChange(changed => _ = PublishChangedAsync(changed, stoppingToken));
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    /// <summary>Pushes every changed menu; false when a push failed for a passing reason and is worth trying again.</summary>
    private async Task<bool> PublishChangedAsync(AccountMenuOptions current, CancellationToken cancellationToken)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return true;
        }

        var settled = true;

        try
        {
            foreach (var (account, entry) in current.Accounts)
            {
                if (entry.Menu.Count == 0)
                {
                    continue;
                }

                var buttons = entry.Menu.Select(ToButton).ToList();
                var fingerprint = JsonSerializer.Serialize(buttons);
                if (_published.TryGetValue(account, out var last) && last == fingerprint)
                {
                    continue;
                }

                WeChatResult<WeChatOk> result;
                try
                {
                    result = await wechat.CreateMenuAsync(account, buttons, cancellationToken);
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    LogUnreachable(logger, account, e.GetType().Name);
                    settled = false;
                    continue;
                }

                if (result.IsSuccess)
                {
                    _published[account] = fingerprint;
                    LogPublished(logger, account, buttons.Count);
                }
                else if (result.Error!.ErrorCode == -1)
                {
                    // -1: WeChat is busy; not a judgement of the menu.
                    LogUnreachable(logger, account, "errcode -1");
                    settled = false;
                }
                else
                {
                    LogRefused(logger, account, result.Error!.ErrorCode, result.Error.ErrorMessage, Problem(buttons) ?? "no button breaks WeChat's documented limits");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // An account named under Menu but not configured for the WeChat client.
            LogFailed(logger, e.Message);
        }
        finally
        {
            _gate.Release();
        }

        return settled;
    }

    private static WeChatMenuButton ToButton(AccountMenuButton button) => new(
        button.Name,
        button.SubButtons is { Count: > 0 } ? button.Type : button.Type ?? (button.Url is not null ? "view" : "click"),
        button.Key,
        button.Url,
        button.SubButtons is { Count: > 0 } subs ? [.. subs.Select(ToButton)] : null);

    /// <summary>The first button breaking WeChat's documented menu limits, in words, to name it in the log
    /// (WeChat's errmsg names no button).</summary>
    internal static string? Problem(IReadOnlyList<WeChatMenuButton> buttons)
    {
        if (buttons.Count > 3)
        {
            return $"{buttons.Count} top-level buttons, at most 3 (from '{buttons[3].Name}')";
        }

        foreach (var button in buttons)
        {
            if (Bytes(button.Name) is 0 or > 16)
            {
                return $"button '{button.Name}' has a name of {Bytes(button.Name)} bytes, 1 to 16 allowed (5 Chinese characters)";
            }

            if (button.SubButtons is { } subs)
            {
                if (subs.Count > 5)
                {
                    return $"button '{button.Name}' has {subs.Count} sub-buttons, at most 5 (from '{subs[5].Name}')";
                }

                foreach (var sub in subs)
                {
                    if (Bytes(sub.Name) is 0 or > 60)
                    {
                        return $"sub-button '{sub.Name}' of '{button.Name}' has a name of {Bytes(sub.Name)} bytes, 1 to 60 allowed";
                    }

                    if (LeafProblem(sub) is { } problem)
                    {
                        return $"sub-button '{sub.Name}' of '{button.Name}' {problem}";
                    }
                }
            }
            else if (LeafProblem(button) is { } problem)
            {
                return $"button '{button.Name}' {problem}";
            }
        }

        return null;
    }

    private static string? LeafProblem(WeChatMenuButton button) => button.Type switch
    {
        "click" when Bytes(button.Key) is 0 or > 128 => "needs a Key of 1 to 128 bytes",
        "view" when Bytes(button.Url) is 0 or > 1024 => "needs a Url of 1 to 1024 bytes",
        "click" or "view" or "scancode_push" or "scancode_waitmsg" or "pic_sysphoto" or "pic_photo_or_album" or "pic_weixin" or "location_select"
            or "miniprogram" or "media_id" or "article_id" or "article_view_limited" => null,
        _ => $"has type '{button.Type}', which WeChat does not know",
    };

    private static int Bytes(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);

    [LoggerMessage(Level = LogLevel.Information, Message = "WeChat menu of account '{Account}' published ({Count} buttons).")]
    private static partial void LogPublished(ILogger logger, string account, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "WeChat refused the menu of account '{Account}' (errcode {ErrorCode} {ErrorMessage}): {Problem}; fix WeChat:Accounts:{Account}:Menu, the account keeps its previous menu.")]
    private static partial void LogRefused(ILogger logger, string account, int errorCode, string errorMessage, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Menu of account '{Account}' not pushed yet ({Reason}); trying again shortly.")]
    private static partial void LogUnreachable(ILogger logger, string account, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "WeChat menus not published: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
