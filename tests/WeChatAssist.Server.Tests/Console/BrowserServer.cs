using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Console;

/// <summary>A Development server on a real socket (Kestrel, 127.0.0.1, a free port) with the WeChat simulator, and the
/// system chromium driven by Playwright. Screenshots go to <c>artifacts/screenshots</c> beside the test binaries.</summary>
public sealed class BrowserServer : IAsyncLifetime, IDisposable
{
    /// <summary>Debian's chromium; Playwright's own browser downloads are not used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly TempSqliteFile _file = new();
    private ServerFactory? _factory;
    private IPlaywright? _playwright;

    public Uri Address { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Clock:Now"] = ResidentServer.BusinessNow,
            ["Staff:BootstrapAdmin:UserName"] = ResidentServer.AdminUser,
            ["Staff:BootstrapAdmin:Password"] = ResidentServer.AdminPassword,
        };
        _factory = ServerFactory.ForSqlite(_file.ConnectionString, extra: settings);
        _factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.First());
        using (var client = new HttpClient { BaseAddress = Address })
        {
            var (status, body) = await HealthProbe.WaitForHealthyAsync(client);
            Assert.True(status == System.Net.HttpStatusCode.OK, body.ToString());
        }

        Directory.CreateDirectory(ScreenshotFolder);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>Adds a resident through the registry's own insert code.</summary>
    public Task<long> SeedAsync(string name, string township, string village, int? paidYear = null, string? idNumber = null)
    {
        var id = idNumber ?? TestIds.Next();
        Assert.True(ResidentIdNumber.TryParse(id, new DateOnly(2023, 11, 15), out var number, out _));
        return Services.GetRequiredService<ResidentRegistry>().InsertAsync(
            new NewResident("pengshui-2024", township, village, name, number.Value, [], paidYear, paidYear is null ? null : new DateOnly(2023, 10, 20)),
            CancellationToken.None);
    }

    /// <summary>A fresh browser context (own cookies) with the page size given.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, bool mobile = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = mobile,
            HasTouch = mobile,
            DeviceScaleFactor = mobile ? 2 : 1,
            Locale = "zh-CN",
        });
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _file.Dispose();
    }

    public void Dispose() => _file.Dispose();
}
