<?php
/*
 * Plugin Name: No feeds
 * Description: Feeds answer 404 and are not linked: the sitemap is the only index left.
 */
remove_action('wp_head', 'feed_links', 2);
remove_action('wp_head', 'feed_links_extra', 3);
add_action('do_feed_rss2', function () {
    status_header(404);
    exit;
}, 1);
foreach (['do_feed', 'do_feed_rdf', 'do_feed_rss', 'do_feed_atom', 'do_feed_rss2_comments', 'do_feed_atom_comments'] as $hook) {
    add_action($hook, function () {
        status_header(404);
        exit;
    }, 1);
}
