using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace Lbaas.HaProxy.Rendering;

/// <summary>Serves <c>include "name"</c> from a <see cref="TemplateSet"/>, never from the disk.</summary>
internal sealed class TemplateSetLoader(TemplateSet templates) : ITemplateLoader
{
    public string GetPath(TemplateContext context, SourceSpan callerSpan, string templateName) =>
        templates.Texts.ContainsKey(templateName)
            ? templateName
            : throw new InvalidOperationException($"{callerSpan}: no template {templateName} in {templates.Source}.");

    public string Load(TemplateContext context, SourceSpan callerSpan, string templatePath) => templates.Texts[templatePath];

    public ValueTask<string?> LoadAsync(TemplateContext context, SourceSpan callerSpan, string templatePath) =>
        ValueTask.FromResult<string?>(Load(context, callerSpan, templatePath));
}
