using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using WeChatAssist.Server.PersonalData;

namespace WeChatAssist.Server.Residents;

/// <summary>Encrypts each Data Protection key (staff cookies, antiforgery and mini-program tokens) with the personal-data
/// key before it is stored in <c>data_protection_keys</c>, so a database dump alone cannot forge a session. Rotating
/// <c>PersonalData:ActiveKeyId</c> keeps older key-ring entries readable, as for residents' data.</summary>
internal sealed class PersonalDataXmlEncryptor(PersonalDataProtector protector) : IXmlEncryptor
{
    public const string ElementName = "personalDataEncrypted";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var encrypted = new XElement(ElementName, protector.Protect(plaintextElement.ToString(SaveOptions.DisableFormatting)));
        return new EncryptedXmlInfo(encrypted, typeof(PersonalDataXmlDecryptor));
    }
}

/// <summary>Reads what <see cref="PersonalDataXmlEncryptor"/> wrote. Data Protection creates it by type name with the
/// service provider, hence the constructor.</summary>
internal sealed class PersonalDataXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var protector = services.GetRequiredService<PersonalDataProtector>();
        return XElement.Parse(protector.Unprotect(encryptedElement.Value));
    }
}
