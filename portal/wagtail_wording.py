"""Danish for Wagtail admin texts that Wagtail 8.0.1's own Danish catalogue leaves
untranslated (editors saw "(blank)", "Page 1 of 3.", "No agreements match your query." in
English).

The project catalogue (`locale/`, LOCALE_PATHS) wins over every app's catalogue, so listing
Wagtail's exact English msgids here puts them in ours, where they get Danish, and
`make messages` keeps them. Only msgids missing or empty in Wagtail's `da` catalogues are
listed; check the exact msgid (placeholders, punctuation, "…") in Wagtail's source when
upgrading. Never imported: it exists for `makemessages`.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

WAGTAIL_MSGIDS = [
    _("(blank)"),
    _("Page %(page_number)s of %(num_pages)s."),
    _("No %(model_name)s match your query."),
    _("There are no %(model_name)s to display."),
    _("Pagination"),
    _("Show filters"),
    _("Apply filters"),
    _("Filter by"),
    _("Download XLSX"),
    _("Download CSV"),
    _("Select all"),
    _("Select row"),
    _("Bulk actions"),
    _("More actions"),
    _("More bulk actions"),
    _("Editing %(page_type)s"),
    _("There are no results."),
    _("Search…"),
    _("Go back"),
    _("Enter a search term above"),
    _("Sorry, no pages match <em>%(query_string)s</em>"),
    _("Last published"),
    _("Saved"),
    _("Close dialog"),
    _("%(model_name)s '%(object)s' updated."),
    _("%(model_name)s '%(object)s' created."),
    _("%(model_name)s '%(object)s' deleted."),
    _("The %(model_name)s could not be saved due to errors."),
    _("Inspect"),
    _("More options for '%(title)s'"),
    _("New: %(model_name)s"),
    _("Create a new %(model_name)s"),
    _("Sort by '%(label)s' in ascending order."),
    _("Sort by '%(label)s' in descending order."),
    _("Save changes"),
    _("Comments"),
    _("Toggle sidebar"),
    _("Profile"),
    _("Notifications"),
    _("Date updated"),
    _("Page type"),
    _("Edited by"),
    _("Owner"),
    _("Item %(index)s of %(total)s"),
    _("Sort"),
    _("Compare"),
    _("Collections"),
    _("Remember me"),
    _("Forgotten password?"),
    _("Search all pages…"),
    _("Choose parent"),
    _("Has child pages"),
    _("Go to the first error"),
    _("Page title"),
    _("Page types"),
    _("No pages found."),
    _("Exploring"),
    _("Page visibility: "),
    _("title tag"),
    _("admin theme"),
    _("page"),
    _("Search term"),
    _("Promote"),
    _("Site summary"),
    _("Select"),
    _("Loading"),
    _(
        "Preview cannot display due to validation errors. <br /> Click save to highlight the relevant fields."
    ),
    _(
        'See our <a href="%(guide_link)s" target="_blank">content checks guide</a> for more information on how content metrics are calculated.'
    ),
    _("Keyboard shortcuts are currently disabled; manage your %(account_link)s to enable them."),
    _("Keyboard shortcuts are currently enabled; manage your %(account_link)s to disable them."),
    _("Close modal dialogs (like this one)"),
    _("Keyboard shortcuts"),
    _("Keyboard shortcut"),
    _("Add or show comments"),
    _('No collections have been created. Why not <a href="%(add_collection_url)s">add one</a>?'),
    _('There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'),
    _(
        'Workflows apply to child pages too. If you select a parent page here, its child pages will also use this workflow. See <a href="%(workflow_pages_url)s">the list of the pages</a> your workflow applies to.'
    ),
    _('No workflows have been created. Why not <a href="%(add_url)s">add one</a>?'),
    _('There are no enabled workflows. Why not <a href="%(add_url)s">add one</a>?'),
    _('No tasks have been created. Why not <a href="%(add_url)s">add one</a>?'),
    _('There are no enabled tasks. Why not <a href="%(add_url)s">add one</a>?'),
    _(
        "<p>Select a file where redirects are separated into rows and contains the columns representing <code>from</code> and <code>to</code> (they can be named anything).</p> <p>After submitting you will be taken to a confirmation view where you can customize your redirects before import.</p>"
    ),
    _(
        'No redirects have been created. Why not <a href="%(wagtailredirects_add_redirect_url)s">add one</a>?'
    ),
    _(
        'There are no groups configured. Why not <a href="%(wagtailusers_create_group_url)s">add some</a>?'
    ),
    _('There are no users configured. Why not <a href="%(wagtailusers_add_url)s">add some</a>?'),
    _(
        'You haven\'t uploaded any images. Why not <a href="%(wagtailimages_add_image_url)s">upload one now</a>?'
    ),
    _(
        'You haven\'t uploaded any documents. Why not <a href="%(wagtaildocs_add_document_url)s">upload one now</a>?'
    ),
    _(
        'You haven\'t created any %(snippet_type_name)s snippets. Why not <a href="%(wagtailsnippets_create_snippet_url)s" target="_blank" rel="noreferrer">create one now</a>?'
    ),
    _("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    _("Access level"),
    _("Add a collection"),
    _("Add a collection permission"),
    _("Add a document"),
    _("Add a document permission"),
    _("Add a group"),
    _("Add a page permission"),
    _("Add a site"),
    _("Add a user"),
    _("Add a workflow"),
    _("Add an image"),
    _("Add an image permission"),
    _("Add collections"),
    _("Add comment"),
    _("Add documents"),
    _("Add images"),
    _("Add multiple documents"),
    _("Add multiple images"),
    _("Add redirect"),
    _("Add collection"),
    _("Add selected documents to collection"),
    _("Add selected images to collection"),
    _("Add tags to the selected documents"),
    _("Add tags to the selected images"),
    _("Add tasks to your workflow"),
    _("Add to collection"),
    _("Add/edit images you own"),
    _("Add/edit pages you own"),
    _("All %(objects)s documents on this screen selected"),
    _("All %(objects)s images on this screen selected"),
    _("All %(objects)s items on this screen selected"),
    _("All %(objects)s pages on this screen selected"),
    _("All %(objects)s snippets on this screen selected"),
    _("All %(objects)s users on this screen selected"),
    _("Anyone can edit this %(model_name)s"),
    _("Anyone can edit this %(model_name)s – lock it to prevent others from editing"),  # noqa: RUF001
    _("Assign your workflow to pages"),
    _("Autosave is paused"),
    _("Change the active state for selected users"),
    _("Choose %(object)s"),
    _("Choose a different root page"),
    _("Choose a root page"),
    _("Choose a task"),
    _("Choose another %(object)s"),
    _("Choose another task"),
    _("Choose when this page should go live and/or expire"),
    _("Choose when this %(model_name)s should go live and/or expire"),
    _("Choose who can view the live version of this page"),
    _("Content metrics"),
    _("Correct the validation errors to resume preview (saving will highlight errors)"),
    _("Current page status:"),
    _("Delete collections"),
    _("Delete pages with children"),
    _("Delete selected documents"),
    _("Delete selected images"),
    _("Delete selected pages"),
    _("Delete selected snippets"),
    _("Delete selected users"),
    _("Drag and drop documents into this area to upload immediately."),
    _("Drag and drop images into this area to upload immediately."),
    _("Edit account avatar"),
    _("Edit any image"),
    _("Edit any page"),
    _("Edit collections"),
    _("Edit this %(object)s"),
    _("Edit this task"),
    _("Editing %(task_type)s"),
    _("Editing workflow"),
    _("Enter the same password as above, for verification."),
    _(
        "Focus on the drag button and press up or down arrows to move the item, then press enter to submit the change."
    ),
    _("Give your workflow a name"),
    _("Group approval task"),
    _("Groups"),
    _("Help"),
    _("Human-readable name for the site."),
    _(
        "If true, this site will handle requests for all other hostnames that do not have a site entry of their own"
    ),
    _(
        "If you just want to add pages to an existing site, create them as children of the homepage instead."
    ),
    _("Images"),
    _("Last login"),
    _("No locked pages found."),
    _("No pages/snippets have been submitted for moderation yet"),
    _("No publishing schedule set"),
    _("Not visible to the public"),
    _("Or choose from your computer"),
    _("Page %(page_num)s of %(total_pages)s"),
    _("Page permissions"),
    _("Page types usage"),
    _(
        "Pages/snippets at this step in a workflow will be moderated or approved by these groups of users"
    ),
    _("Please provide an image description to comply with best practices for accessibility."),
    _("Preview in desktop size"),
    _("Preview in mobile size"),
    _("Preview in new tab"),
    _("Preview in tablet size"),
    _("Preview is out of date"),
    _("Preview not available"),
    _("Privacy changes apply to all children of this page too."),
    _("Private. Visit the live page"),
    _("Publish any page"),
    _("Publish selected pages"),
    _("Read the release notes."),
    _(
        "Receive notification when comments have been created, resolved, or deleted on a page that you have subscribed to receive comment notifications on"
    ),
    _("Receive notification when your page edit is approved"),
    _("Receive notification when your page edit is rejected"),
    _(
        "Recommended. Permanent redirects ensure search engines forget the old page (the 'Redirect from') and index the new page instead."
    ),
    _("Report this error to your website administrator with the following information:"),
    _("Reports"),
    _("Save your changes before leaving"),
    _("Select all snippets in listing"),
    _("Select documents in choosers"),
    _(
        "Select hierarchical position. Note: a collection cannot become a child of itself or one of its descendants."
    ),
    _("Select images in choosers"),
    _(
        "Set this to something other than 80 if you need a specific port number to appear in URLs (e.g. development on port 8000). Does not affect request handling (so port forwarding still works)."
    ),
    _("Snippets"),
    _("Sort the order of child pages within '%(parent)s' by '%(label)s' in ascending order."),
    _("Sort the order of child pages within '%(parent)s' by '%(label)s' in descending order."),
    _("Step %(step_number)s"),
    _("Submit to %(workflow_name)s"),
    _("The name of the page as it will appear in URLs e.g http://domain.com/blog/[my-slug]/"),
    _("The name of the page displayed on search engine results as the clickable headline."),
    _("The new page will be a child of this given parent page."),
    _("The page title as you'd like it to be seen by the public"),
    _(
        "The root level is where you can add new sites to your Wagtail installation. Pages created here will not be accessible at any URL until they are associated with a site."
    ),
    _(
        'This publishing schedule will only take effect after you select the "Schedule to publish" option'
    ),
    _("Schedule to publish"),
    _("Title: (A -> Z)"),
    _("Title: (Z -> A)"),
    _("Toggle preview"),
    _(
        "Troubleshoot your connection to the site before proceeding. Open the editor in a separate tab to view the last saved version."
    ),
    _(
        "Upload successful. However, your new image seems to be a duplicate of this existing image. You may delete it if it wasn't required."
    ),
    _(
        "Upload successful. Please update this document with a more appropriate title, if necessary. You may also delete the document completely if the upload wasn't required."
    ),
    _(
        "Upload successful. Please update this image with a more appropriate title, if necessary. You may also delete the image completely if the upload wasn't required."
    ),
    _("Used on the following active workflows"),
    _("Users"),
    _("View users in this group"),
    _("Visible to all"),
    _("Visible to all. Visit the live page"),
    _("Visit the live page"),
    _(
        "We extract the main content from the page preview, remove all formatting, and calculate the number of words."
    ),
    _(
        "We use a readability formula based on length of words and sentences. Long sentences and words result in a worse readability score."
    ),
    _(
        "We calculate reading time from word count, using different reading speeds for different languages."
    ),
    _("Whether a link to this page will appear in automatically generated menus"),
    _("images"),
    _("documents"),
    _("Dashboard"),
    _("Wagtail core"),
    _("Add group"),
    _("Add user"),
    _("Add site"),
    _("site"),
    _('Sorry, no tasks match "<em>%(query_string)s</em>"'),
    _('Sorry, no promoted results match "<em>%(query_string)s</em>"'),
    _('Sorry, no redirects match "<em>%(query_string)s</em>"'),
    _('Sorry, no groups match "%(query)s"'),
    _("Sorry, no users match your query"),
    _('Sorry, no images match "<em>%(query_string)s</em>"'),
    _('Sorry, no snippets match "<em>%(search_query)s</em>"'),
    _('Sorry, no documents match "<em>%(search_query)s</em>"'),
    _('Sorry, no documents match "<em>%(query_string)s</em>"'),
    _("Add Comment"),
    _("has unpublished changes"),
    _("scheduled"),
    _("live + scheduled"),
    _("Publish scheduled draft"),
    _("Published scheduled draft"),
    _("Unpublish scheduled draft"),
    _("Unpublished scheduled draft"),
    _("Currently locked and will go live on the scheduled date"),
    _("%(model_name)s scheduled for publishing at %(go_live_at)s"),
    _("%(model_name)s scheduled for publishing"),
    _("Removed view restriction"),
    _("This page has one unpublished subpage"),
    _("One or more references to this %(model_name)s prevent it from being deleted."),
    _("This page hasn't been submitted for moderation yet"),
    _("This %(model_name)s hasn't been submitted for moderation yet"),
    _("'%(page_title)s' has been moved successfully."),
    _("Collection '%(object)s' created."),
    _("Collection '%(object)s' updated."),
    _("Collection '%(object)s' deleted."),
    _("Cancel scheduled publish"),
    _("%(model_name)s '%(object)s' has been scheduled for publishing."),
    _("%(model_name)s '%(object)s' created and scheduled for publishing."),
    _("%(model_name)s '%(object)s' is live and this version has been scheduled for publishing."),
    _("%(model_name)s '%(object)s' updated and published."),
    _("%(model_name)s '%(object)s' created and published."),
    _("%(model_name)s '%(object)s' has been submitted for moderation."),
    _("%(model_name)s '%(object)s' created and submitted for moderation."),
    _("Version from %(timestamp)s of %(model_name)s '%(object)s' has been published."),
    _(
        "Version from %(timestamp)s of %(model_name)s '%(object)s' has been scheduled for publishing."
    ),
    _("'%(object)s' unpublished."),
    _("Page '%(page_title)s' created and scheduled for publishing."),
    _("Page '%(page_title)s' created and published."),
    _("Page '%(page_title)s' created and submitted for moderation."),
    _(
        "Version from %(previous_revision_datetime)s of page '%(page_title)s' has been scheduled for publishing."
    ),
    _("Page '%(page_title)s' is live and this version has been scheduled for publishing."),
    _("Page '%(page_title)s' has been scheduled for publishing."),
    _("Version from %(datetime)s of page '%(page_title)s' has been published."),
    _("Workflow '%(object)s' created."),
    _("Workflow '%(object)s' updated."),
    _("Task '%(object)s' created."),
    _("Task '%(object)s' updated."),
    _("Redirect '%(redirect_title)s' updated."),
    _("Redirect '%(redirect_title)s' deleted."),
    _("Receive notification when a page is submitted for moderation"),
    _("Group '%(object)s' created."),
    _("Group '%(object)s' updated."),
    _("Group '%(object)s' deleted."),
    _("User '%(object)s' created."),
    _("User '%(object)s' updated."),
    _("User '%(object)s' deleted."),
    _("Image updated."),
    _("Image '%(image_title)s' updated."),
    _("Image '%(image_title)s' deleted."),
    _("Site '%(object)s' created."),
    _("Site '%(object)s' updated."),
    _("Site '%(object)s' deleted."),
    _("Document updated."),
    _("Document '%(document_title)s' deleted."),
    _("The descriptive text displayed underneath a headline in search engine results."),
    _("Last published by"),
    _("To be created by %(user)s"),
    _("First published"),
    _("Last published before"),
    _("Last published at"),
    _("Editor Guide"),
    _("What's new in Wagtail %(version)s"),
    # Django's admin catalogue gave Wagtail its "Historik" until django.contrib.admin
    # was removed (issue 9: every login through allauth).
    _("History"),
]

# Texts with a plural form (Wagtail's blocktrans/ngettext with a count).
WAGTAIL_PLURAL_MSGIDS = [
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
        1,
    ),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
        1,
    ),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
        1,
    ),
    ngettext_lazy("%(num_child_objects)d child page", "%(num_child_objects)d child pages", 1),
    ngettext_lazy("There is %(counter)s match", "There are %(counter)s matches", 1),
    ngettext_lazy("1 page", "%(counter)s pages", 1),
    ngettext_lazy("There is one matching page", "There are %(counter)s matching pages", 1),
    ngettext_lazy("%(num_pages)d page has been moved", "%(num_pages)d pages have been moved", 1),
    ngettext_lazy(
        "%(num_parent_objects)d page has been published",
        "%(num_parent_objects)d pages have been published",
        1,
    ),
    ngettext_lazy(
        "%(num_parent_objects)d page has been unpublished",
        "%(num_parent_objects)d pages have been unpublished",
        1,
    ),
    ngettext_lazy("%(count)d %(model_name)s deleted.", "%(count)d %(model_name)s deleted.", 1),
]
