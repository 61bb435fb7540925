using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WeChatAssist.Server.Tests.Console;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

/// <summary>The newcomer's first five minutes, as the README tells them: the server started the way
/// <c>dotnet run --project src/WeChatAssist.Server</c> starts it (the server's own build, its project folder as the
/// content root, Development, an empty SQLite folder), then the simulator and the console in Debian's chromium on a
/// small phone and a desk screen. Screenshots go to artifacts/screenshots beside the test binaries.</summary>
public sealed partial class FirstFiveMinutesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_newcomer_sees_a_campaign_day_in_the_simulator_and_the_demo_county_in_the_console()
    {
        Assertions.SetDefaultExpectTimeout((float)Patience.TotalMilliseconds);
        using var data = new TempDirectory();
        await using var server = DevelopmentServer.Start(data.Path);
        await server.WaitForHealthyAsync(Patience);
        var password = await server.WaitForLineAsync(SignInLine(), Patience);
        Directory.CreateDirectory(BrowserServer.ScreenshotFolder);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserServer.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });

        // 1. The simulator on a 375×667 phone: today is past every notice, and the page says how to see a campaign.
        var phone = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 375, Height = 667 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
            Locale = "zh-CN",
        });
        phone.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var page = await phone.NewPageAsync();
        await page.GotoAsync("/simulator");
        await page.Locator("#past").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Contains("缴费期都已过去", await page.TextContentAsync("#past"), StringComparison.Ordinal);
        await BrowserServer.ScreenshotAsync(page, "first-five-01-simulator-today");

        // 2. A 彭水 campaign day: a week before its deadline.
        await page.ClickAsync("#dateDetails summary");
        await page.SelectOptionAsync("#keyDay", "2023-12-24|pengshui");
        await Assertions.Expect(page.Locator("#businessDate")).ToHaveTextAsync("2023年12月24日");
        await Assertions.Expect(page.Locator("#accountName")).ToContainTextAsync("彭水");
        Assert.False(await page.IsVisibleAsync("#past"));
        await page.ClickAsync("#dateDetails summary");

        // 3a. Through the menu: 交多少钱, then the category.
        await page.Locator("#menubar button[data-menu='交多少钱']").WaitForAsync();
        var before = await BotBubbles(page).CountAsync();
        await page.ClickAsync("#menubar button[data-menu='交多少钱']");
        await WaitForBotReplyAsync(page, before, "低保");
        await SendTextAsync(page, "低保户");
        var menuAnswer = await WaitForBotReplyAsync(page, before + 1, "38元");
        Assert.Contains("彭水府办发〔2023〕87号", menuAnswer, StringComparison.Ordinal);

        // 3b. By typing.
        await SendTextAsync(page, "低保户交多少");
        var typedAnswer = await WaitForBotReplyAsync(page, before + 2, "38元");
        Assert.Contains("依据：彭水府办发〔2023〕87号", typedAnswer, StringComparison.Ordinal);
        await BrowserServer.ScreenshotAsync(page, "first-five-02-simulator-pengshui-38");

        // The menu's sub-menu holds the other questions; the page reads at 18px and does not scroll sideways.
        await page.ClickAsync("#menubar button[data-menu='缴费办理']");
        Assert.Equal(5, await page.Locator(".submenu button").CountAsync());
        await BrowserServer.ScreenshotAsync(page, "first-five-03-simulator-submenu");
        await page.ClickAsync(".submenu button[data-menu='什么时候交']");
        await WaitForBotReplyAsync(page, before + 3, "2023年12月31日");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 375"), "the simulator scrolls sideways on a 375px phone");
        var smallest = await page.EvaluateAsync<double>("() => Math.min(...[...document.querySelectorAll('#phone .bubble, #phone input, #menubar button')].map(e => parseFloat(getComputedStyle(e).fontSize)))");
        Assert.True(smallest >= 18, $"text in the phone is {smallest}px");

        // The mini-program panel on the real API: wx.login, bind a demo resident, me, start a payment, submit a correction.
        await server.WaitForLineAsync(DemoWrittenLine(), Patience);
        await page.ClickAsync("#mpSample");
        await Assertions.Expect(page.Locator("#mpName")).Not.ToHaveValueAsync("");
        await page.ClickAsync("#mpBind");
        await Assertions.Expect(page.Locator("#mpResult")).ToContainTextAsync("me：1 人");
        var person = page.Locator("#mpPeople .person");
        await Assertions.Expect(person).ToContainTextAsync("未缴费");
        await person.Locator("button", new() { HasText = "去缴费" }).ClickAsync();
        await Assertions.Expect(page.Locator("#mpResult")).ToContainTextAsync("社保云缴费");
        await person.Locator("select[aria-label='要更正的项目']").SelectOptionAsync("address");
        await person.Locator("input[aria-label='正确的内容']").FillAsync("汉葭街道解放路1号");
        await person.Locator("button", new() { HasText = "提交更正" }).ClickAsync();
        await Assertions.Expect(page.Locator("#mpResult")).ToContainTextAsync("更正已提交");
        await BrowserServer.ScreenshotAsync(page, "first-five-04-mini-program");

        // 4. The console with the printed password.
        var desk = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "zh-CN",
        });
        desk.SetDefaultTimeout((float)Patience.TotalMilliseconds);
        var console = await desk.NewPageAsync();
        await console.GotoAsync("/console");
        await console.FillAsync("#userName", "admin");
        await console.FillAsync("#password", password);
        await console.ClickAsync("#login-submit");
        await console.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console");
        Assert.Contains("2023年12月24日", await console.TextContentAsync("#business-date"), StringComparison.Ordinal);

        // 5. 彭水's target and the demo county generated in the background at the first start.
        await server.WaitForLineAsync(DemoWrittenLine(), Patience);
        await console.SelectOptionAsync("#policy-select", "pengshui-2024");
        await console.ClickAsync("#scope-form button[type=submit]");
        await console.WaitForURLAsync(url => url.Contains("policyId=pengshui-2024", StringComparison.Ordinal));
        await Assertions.Expect(console.Locator("#target-count")).ToHaveTextAsync("554,440");
        await Assertions.Expect(console.Locator("#registered-count")).ToHaveTextAsync("20,000");
        var paid = long.Parse((await console.TextContentAsync("#paid-count"))!.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(paid, 1, 19_999);
        await BrowserServer.ScreenshotAsync(console, "first-five-05-console-pengshui");
    }

    private static ILocator BotBubbles(IPage page) => page.Locator("#chat .row.bot .bubble");

    private static async Task SendTextAsync(IPage page, string text)
    {
        await page.FillAsync("#text", text);
        await page.ClickAsync("#sendButton");
    }

    /// <summary>Waits for the bot's reply number <paramref name="index"/> (from 0) and checks it says <paramref name="expected"/>.</summary>
    private static async Task<string> WaitForBotReplyAsync(IPage page, int index, string expected)
    {
        var reply = BotBubbles(page).Nth(index);
        await reply.WaitForAsync();
        var text = await reply.TextContentAsync() ?? "";
        Assert.True(text.Contains(expected, StringComparison.Ordinal), $"reply {index} lacks '{expected}': {text}");
        return text;
    }

    [GeneratedRegex(@"^\s*Console sign-in \(Development\): user 'admin', password '([^']{10,})'$")]
    private static partial Regex SignInLine();

    [GeneratedRegex(@"Demo county: wrote (20,000) residents of pengshui-2024")]
    private static partial Regex DemoWrittenLine();

    /// <summary>The server's own build run from its project folder, as <c>dotnet run</c> does, printing to a log the
    /// test reads while it runs.</summary>
    private sealed class DevelopmentServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        private DevelopmentServer(Process process, Uri baseAddress)
        {
            _process = process;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public static DevelopmentServer Start(string dataDirectory)
        {
            var project = Path.Combine(RepositoryRoot(), "src", "WeChatAssist.Server");
            // Same configuration as the test binaries (bin/<Configuration>/net10.0).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var dll = Path.Combine(project, "bin", configuration, "net10.0", "WeChatAssist.Server.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first.");
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();

            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(dll);
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["Database__DataDirectory"] = dataDirectory;
            var process = Process.Start(start)!;
            var server = new DevelopmentServer(process, new Uri($"http://127.0.0.1:{port}"));
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) server._lines.Enqueue(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._lines.Enqueue(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return server;
        }

        public string Output => string.Join('\n', _lines);

        /// <summary>Waits for a printed line matching <paramref name="pattern"/> and returns its first group.</summary>
        public async Task<string> WaitForLineAsync(Regex pattern, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                foreach (var line in _lines)
                {
                    if (pattern.Match(line) is { Success: true } match)
                    {
                        return match.Groups[1].Value;
                    }
                }

                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new Xunit.Sdk.XunitException($"No line matching {pattern} (exited: {_process.HasExited}). Output:\n{Output}");
                }

                await Task.Delay(200);
            }
        }

        /// <summary>Polls <c>/healthz</c> until it answers 200; fails with the server's output when it exits or stays unhealthy.</summary>
        public async Task WaitForHealthyAsync(TimeSpan timeout)
        {
            using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow + timeout;
            var last = "no answer";
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }

                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = e.Message;
                }

                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new Xunit.Sdk.XunitException($"Not healthy (exited: {_process.HasExited}): {last}\n{Output}");
                }

                await Task.Delay(250);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private static string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "WeChatAssist.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("WeChatAssist.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("wca-first-five-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
