using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Console;

/// <summary>The console and the landing page in a real browser (Debian's chromium with CJK fonts): login, a cadre
/// making a link, the landing page's elderly-friendly basics measured in the page on a 375×667 phone, and payments
/// moving an open dashboard without a reload. Every test leaves a screenshot in artifacts/screenshots.</summary>
[Collection(BrowserGroup.Name)]
public sealed class BrowserTests(BrowserServer server)
{
    private const string CadrePassword = "cadre-password-1";

    [Fact]
    public async Task Staff_sign_in_on_the_login_page_and_reach_the_county_dashboard()
    {
        var page = await server.NewPageAsync();

        await page.GotoAsync("/console");
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#userName", ResidentServer.AdminUser);
        await page.FillAsync("#password", ResidentServer.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console");
        await page.SelectOptionAsync("#policy-select", "pengshui-2024");
        await page.ClickAsync("#scope-form button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("policyId=pengshui-2024", StringComparison.Ordinal));
        await page.WaitForSelectorAsync("#areas-table tbody tr");

        Assert.Equal("554,440", await page.TextContentAsync("#target-count"));
        Assert.Equal(39, await page.Locator("#areas-table tbody tr").CountAsync());
        Assert.Equal(3, await page.Locator("#indicators-table tbody tr").CountAsync());
        await BrowserServer.ScreenshotAsync(page, "01-county-dashboard");
    }

    [Fact]
    public async Task A_cadre_creates_a_link_and_the_landing_page_is_elderly_friendly_on_a_375_by_667_phone()
    {
        var cadre = "cadre" + Guid.NewGuid().ToString("N")[..6];
        await server.Services.GetRequiredService<StaffStore>().CreateAsync(cadre, CadrePassword, StaffRole.Village, "pengshui-2024", "郁山镇", "中井村", CancellationToken.None);
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/login");
        await page.FillAsync("#userName", cadre);
        await page.FillAsync("#password", CadrePassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console/village");

        // The reminder outbox is there, so the button is offered.
        await page.WaitForSelectorAsync("#unpaid-table thead");
        Assert.False(await page.IsDisabledAsync("#remind"));

        await page.ClickAsync("#create-link");
        await page.WaitForSelectorAsync("#new-link-qr");
        var share = await page.InputValueAsync("#share-text");
        var landing = await page.GetAttributeAsync("#new-link a", "href");
        await BrowserServer.ScreenshotAsync(page, "02-cadre-link-created");

        Assert.Contains("中井村", share, StringComparison.Ordinal);
        Assert.NotNull(landing);
        var phone = await server.NewPageAsync(375, 667, mobile: true);
        var response = await phone.GotoAsync(landing);
        Assert.Equal(200, response!.Status);
        var report = await phone.EvaluateAsync<JsonElement>(ElderlyFriendlyReport);
        await BrowserServer.ScreenshotAsync(phone, "03-landing-375x667");

        Assert.True(report.GetProperty("texts").GetInt32() > 20, report.ToString());
        Assert.True(report.GetProperty("smallText").GetArrayLength() == 0, "text under 18px: " + report.GetProperty("smallText"));
        Assert.True(report.GetProperty("lowContrast").GetArrayLength() == 0, "contrast under 4.5:1: " + report.GetProperty("lowContrast"));
        Assert.True(report.GetProperty("smallTargets").GetArrayLength() == 0, "tap targets under 44px: " + report.GetProperty("smallTargets"));
        Assert.True(report.GetProperty("unlabelled").GetArrayLength() == 0, "controls without words: " + report.GetProperty("unlabelled"));
        Assert.True(report.GetProperty("targets").GetInt32() >= 2, report.ToString());
        Assert.True(report.GetProperty("scrollWidth").GetInt32() <= 375, "the page scrolls sideways: " + report);
    }

    [Fact]
    public async Task A_tax_file_imported_in_the_console_moves_the_open_dashboard_without_a_reload()
    {
        var people = new List<string[]>();
        for (var i = 0; i < 5; i++)
        {
            var idNumber = TestIds.Next();
            var name = "己" + "甲乙丙丁戊"[i];
            await server.SeedAsync(name, "保家镇", "楠木村", idNumber: idNumber);
            people.Add([(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), idNumber, name, "2024", "2023-11-15", "380", "已缴费"]);
        }

        var file = Path.Combine(Path.GetTempPath(), "wca-tax-" + Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllBytesAsync(file, Imports.ImportFiles.Csv([Imports.ImportFiles.TaxHeader, .. people]));
        try
        {
            var page = await server.NewPageAsync();
            await page.GotoAsync("/console/login");
            await page.FillAsync("#userName", ResidentServer.AdminUser);
            await page.FillAsync("#password", ResidentServer.AdminPassword);
            await page.ClickAsync("#login-submit");
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console");
            await page.GotoAsync("/console?policyId=pengshui-2024");
            await page.WaitForSelectorAsync("#dashboard[data-live='on']");
            var before = long.Parse(await page.GetAttributeAsync("#dashboard", "data-paid") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

            // The bureau uploads the tax bureau's daily file through the console's imports panel.
            await page.SelectOptionAsync("#import-kind", "tax");
            await page.SetInputFilesAsync("#import-file", file);
            await page.ClickAsync("#import-apply");
            await page.WaitForSelectorAsync("#import-result:not(:empty):not(:has-text('正在处理'))");
            var outcome = await page.TextContentAsync("#import-result");
            Assert.Contains("已导入", outcome, StringComparison.Ordinal);
            await page.WaitForSelectorAsync($"#dashboard[data-paid='{before + people.Count}']", new PageWaitForSelectorOptions { Timeout = 15_000 });
            await BrowserServer.ScreenshotAsync(page, "04-dashboard-after-tax-import");

            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
            Assert.Equal((before + people.Count).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), await page.TextContentAsync("#paid-count"));
            Assert.Contains("记录缴费5人", outcome, StringComparison.Ordinal);

            // The imports panel lists the import in the bureau's words, not the API's field names.
            var imports = page.Locator("section[data-api='/api/v1/admin/imports'] table.data");
            await imports.Locator("td", new LocatorLocatorOptions { HasTextString = "税务缴费数据" }).First.WaitForAsync();
            var headers = await imports.Locator("th").AllTextContentsAsync();
            Assert.Contains("导入时间", headers);
            Assert.Contains("记入缴费", headers);
            Assert.DoesNotContain(headers, h => h.Any(char.IsAsciiLetter));
            var firstRow = await imports.Locator("tbody tr").First.Locator("td").AllTextContentsAsync();
            Assert.Contains("已导入", firstRow);
            Assert.Contains("5", firstRow);
            Assert.Equal(0, await page.Locator("section.feature .feature-body", new PageLocatorOptions { HasTextString = "读取失败" }).CountAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_bureau_member_uploads_a_draft_in_the_console_and_a_second_one_publishes_it()
    {
        var uploader = "u" + Guid.NewGuid().ToString("N")[..10];
        var approver = "u" + Guid.NewGuid().ToString("N")[..10];
        var staff = server.Services.GetRequiredService<StaffStore>();
        await staff.CreateAsync(uploader, CadrePassword, StaffRole.Bureau, "pengshui-2024", null, null, CancellationToken.None);
        await staff.CreateAsync(approver, CadrePassword, StaffRole.Bureau, "pengshui-2024", null, null, CancellationToken.None);
        var draft = Policies.RepoFiles.DraftPath;

        var page = await SignInAsync(uploader);
        await page.SetInputFilesAsync("#draft-file", draft);
        await page.ClickAsync("#draft-upload");
        await page.WaitForSelectorAsync("#draft-detail table");
        var detail = await page.TextContentAsync("#draft-detail") ?? "";
        Assert.Contains("检查通过，没有错误。", detail, StringComparison.Ordinal);
        Assert.Contains("与本县上一份政策的差异（对比：pengshui-2024）", detail, StringComparison.Ordinal);
        Assert.Contains("城乡最低生活保障人员 (dibao) tier 1 individual38元19元", detail, StringComparison.Ordinal);
        Assert.Contains("2024-10-12collection window opens", detail, StringComparison.Ordinal);
        Assert.Contains("需要另一位医保局工作人员审核", detail, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#draft-approve").CountAsync());
        await BrowserServer.ScreenshotAsync(page, "06-policy-draft-uploaded");

        var second = await SignInAsync(approver);
        var open = second.Locator("section[data-api='/api/v1/admin/policies/drafts'] a", new PageLocatorOptions { HasTextString = "查看" }).First;
        await open.WaitForAsync();
        await open.ClickAsync();
        await second.ClickAsync("#draft-approve");
        await second.WaitForSelectorAsync("#draft-approve-result:not(:empty)");
        Assert.Contains("已发布：pengshui-2025 第", await second.TextContentAsync("#draft-approve-result"), StringComparison.Ordinal);
        await BrowserServer.ScreenshotAsync(second, "07-policy-draft-published");
    }

    private async Task<IPage> SignInAsync(string userName)
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/login");
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", CadrePassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console");
        await page.GotoAsync("/console?policyId=pengshui-2024");
        await page.WaitForSelectorAsync("#draft-form");
        return page;
    }

    [Fact]
    public async Task A_township_official_sees_the_villages_of_their_own_township_only()
    {
        var official = "town" + Guid.NewGuid().ToString("N")[..6];
        await server.Services.GetRequiredService<StaffStore>().CreateAsync(official, CadrePassword, StaffRole.Township, "pengshui-2024", "桑柘镇", null, CancellationToken.None);
        await server.SeedAsync("癸一", "桑柘镇", "鹿鸣村");
        // Unpaid: the other tests of this server count the county's paid residents, and a registry change that
        // bypasses the ledger reaches a shared snapshot only when it ages out (ProgressSnapshots.MaxAge).
        await server.SeedAsync("癸二", "桑柘镇", "大地村");
        await server.SeedAsync("癸三", "郁山镇", "别的村");
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/login");
        await page.FillAsync("#userName", official);
        await page.FillAsync("#password", CadrePassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/console");
        await page.WaitForSelectorAsync("#areas-table tbody tr");
        await BrowserServer.ScreenshotAsync(page, "05-township-dashboard");

        Assert.Contains("桑柘镇", await page.TextContentAsync("#scope-title"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#township-select, #policy-select").CountAsync());
        Assert.Equal(["大地村", "鹿鸣村"], (await page.Locator("#areas-table tbody tr td:first-child").AllTextContentsAsync()).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("26,308", await page.TextContentAsync("#target-count"));
    }

    /// <summary>Measured in the page: every visible text node's computed size and its contrast against the nearest
    /// opaque background (WCAG relative luminance), every control's box and words.</summary>
    private const string ElderlyFriendlyReport = """
        () => {
          const parse = (c) => { const p = c.match(/[\d.]+/g).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
          const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
          const background = (element) => {
            for (let e = element; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c.a > 0) { return c; } }
            return { r: 255, g: 255, b: 255, a: 1 };
          };
          const report = { texts: 0, targets: 0, smallText: [], lowContrast: [], smallTargets: [], unlabelled: [], scrollWidth: document.documentElement.scrollWidth };
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            const text = node.textContent.trim();
            const element = node.parentElement;
            if (!text || !element.getClientRects().length) { continue; }
            const style = getComputedStyle(element);
            const size = parseFloat(style.fontSize);
            const fg = luminance(parse(style.color)), bg = luminance(background(element));
            const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
            report.texts++;
            if (size < 18) { report.smallText.push(`${text.slice(0, 16)} ${size}px`); }
            if (ratio < 4.5) { report.lowContrast.push(`${text.slice(0, 16)} ${ratio.toFixed(2)}`); }
          }
          for (const control of document.querySelectorAll('a[href], button, input, select')) {
            const box = control.getBoundingClientRect();
            if (!box.width) { continue; }
            report.targets++;
            if (box.width < 44 || box.height < 44) { report.smallTargets.push(`${control.textContent.trim().slice(0, 16)} ${box.width}x${box.height}`); }
            if (!(control.textContent.trim() || control.getAttribute('aria-label'))) { report.unlabelled.push(control.outerHTML.slice(0, 60)); }
          }
          return report;
        }
        """;
}

/// <summary>One browser server shared by the browser tests, which run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserServer>
{
    public const string Name = "browser";
}
