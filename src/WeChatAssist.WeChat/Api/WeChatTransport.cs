using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.WeChat.Api;

/// <summary>
/// One HTTP exchange with WeChat's API: JSON in, errcode-checked JSON out, transient failures retried
/// with exponential backoff and jitter (never token, quota or permanent errors).
/// </summary>
internal sealed partial class WeChatTransport
{
    public const string HttpClientName = WeChatServiceCollectionExtensions.ApiHttpClientName;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IOptionsMonitor<WeChatOptions> _options;
    private readonly ILogger<WeChatTransport> _logger;
    private readonly Lazy<ResiliencePipeline> _pipeline;

    public WeChatTransport(IHttpClientFactory httpClientFactory, IOptionsMonitor<WeChatOptions> options, ILogger<WeChatTransport> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _logger = logger;

        // Built on first use, not here: hosted services that hold the client are created before start-up validation,
        // and reading invalid options here would pre-empt its one-line report.
        _pipeline = new Lazy<ResiliencePipeline>(BuildPipeline);
    }

    private ResiliencePipeline BuildPipeline()
    {
        var o = _options.CurrentValue;
        var builder = new ResiliencePipelineBuilder();

        // Polly refuses a retry strategy with no retries: one attempt means no strategy at all.
        if (o.ApiMaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.ApiMaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.ApiRetryBaseDelay,
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    LogRetry(_logger, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.GetType().Name ?? args.Outcome.Result?.ToString());
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddTimeout(o.ApiTimeout).Build();
    }

    /// <summary>Sends a request with a JSON body (or none) and reads a JSON response.</summary>
    public Task<WeChatResult<TResponse>> SendAsync<TRequest, TResponse>(
        HttpMethod method,
        string relativeUri,
        TRequest? body,
        JsonTypeInfo<TRequest>? requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TResponse : WireResponse =>
        ExecuteAsync(relativeUri, async ct =>
        {
            using var request = new HttpRequestMessage(method, relativeUri);
            if (body is not null && requestType is not null)
                request.Content = JsonContent.Create(body, requestType);
            using var response = await Client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            return await ReadJsonAsync(response, responseType, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Sends a JSON request whose success answer is binary (e.g. an image); a JSON answer is an error.</summary>
    public Task<WeChatResult<byte[]>> SendForBytesAsync<TRequest>(
        string relativeUri,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        CancellationToken cancellationToken) =>
        ExecuteAsync(relativeUri, async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, relativeUri) { Content = JsonContent.Create(body, requestType) };
            using var response = await Client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                return HttpFailure<byte[]>(response);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            if (mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) || (bytes.Length > 0 && bytes[0] == (byte)'{'))
            {
                var error = JsonSerializer.Deserialize(bytes, WeChatJsonContext.Default.WireResponse);
                return WeChatResult.Failure<byte[]>(WeChatError.FromCode(error?.Errcode ?? WeChatErrorCodes.SystemBusy, error?.Errmsg));
            }
            return WeChatResult.Success(bytes);
        }, cancellationToken);

    private HttpClient Client() => _httpClientFactory.CreateClient(HttpClientName);

    private async Task<WeChatResult<T>> ExecuteAsync<T>(string relativeUri, Func<CancellationToken, ValueTask<WeChatResult<T>>> attempt, CancellationToken cancellationToken)
    {
        var result = await ExecuteCoreAsync(attempt, cancellationToken).ConfigureAwait(false);
        WeChatMetrics.ApiCall(relativeUri, result.Error?.ErrorCode ?? 0);
        return result;
    }

    private async Task<WeChatResult<T>> ExecuteCoreAsync<T>(Func<CancellationToken, ValueTask<WeChatResult<T>>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.Value.ExecuteAsync(attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException)
        {
            return WeChatResult.Failure<T>(WeChatError.Transport("timed out"));
        }
        catch (HttpRequestException ex)
        {
            return WeChatResult.Failure<T>(WeChatError.Transport("HTTP request failed: " + ex.Message));
        }
        catch (JsonException)
        {
            return WeChatResult.Failure<T>(WeChatError.Transport("unreadable JSON response"));
        }
    }

    private static async ValueTask<WeChatResult<T>> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken ct)
        where T : WireResponse
    {
        if (!response.IsSuccessStatusCode)
            return HttpFailure<T>(response);
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var value = await JsonSerializer.DeserializeAsync(stream, type, ct).ConfigureAwait(false);
            if (value is null)
                return WeChatResult.Failure<T>(WeChatError.Transport("empty JSON response"));
            return value.Errcode == 0
                ? WeChatResult.Success(value)
                : WeChatResult.Failure<T>(WeChatError.FromCode(value.Errcode, value.Errmsg));
        }
    }

    private static WeChatResult<T> HttpFailure<T>(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        // 5xx and 429 are worth retrying; other statuses mean the request is wrong.
        var cls = status >= 500 || status == 429 ? WeChatErrorClass.Transient : WeChatErrorClass.Permanent;
        return WeChatResult.Failure<T>(new WeChatError(WeChatErrorCodes.SystemBusy, $"HTTP {status}", cls));
    }

    private static bool IsTransient(Outcome<object> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException or JsonException } => true,
        { Exception: not null } => false,
        { Result: IWeChatResultError { Error.Class: WeChatErrorClass.Transient } } => true,
        _ => false,
    };

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "WeChat API call failed transiently; attempt {Attempt} in {Delay} ({Reason})")]
    private static partial void LogRetry(ILogger logger, int attempt, TimeSpan delay, string? reason);
}
