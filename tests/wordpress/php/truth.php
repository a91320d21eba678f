<?php
// What WordPress itself says about every published post of one site: the ground truth the
// crawl tests compare the archive with.  Usage: php truth.php > truth.json
require __DIR__ . '/boot.php';

function ba_text($html) {
    return html_entity_decode(wp_strip_all_tags($html), ENT_QUOTES | ENT_HTML5, 'UTF-8');
}

function ba_image_of($id) {
    return ['url' => wp_get_attachment_url($id), 'alt' => get_post_meta($id, '_wp_attachment_image_alt', true),
            'caption' => wp_get_attachment_caption($id) ?: null];
}

function ba_body_images($post) {
    $images = [];
    foreach (parse_blocks($post->post_content) as $block) {
        if ($block['blockName'] === 'core/image') {
            $images[] = ba_image_of($block['attrs']['id']);
        }
    }
    return $images;
}

function ba_term_name($term) {
    // As the post's term lists print it (get_the_term_list): the stored name, decoded.
    return ba_text($term->name);
}

function ba_link($post, $relation) {
    return ['url' => get_permalink($post), 'title' => ba_text(get_the_title($post)), 'relation' => $relation];
}

$rows = [];
$query = new WP_Query(['post_type' => 'post', 'post_status' => 'publish', 'posts_per_page' => -1,
                       'orderby' => 'date', 'order' => 'DESC', 'ignore_sticky_posts' => true]);
while ($query->have_posts()) {
    $query->the_post();
    global $post;
    $author = get_userdata($post->post_author);
    remove_filter('the_content', 'ba_related_box', 20);
    $body = apply_filters('the_content', get_the_content());
    add_filter('the_content', 'ba_related_box', 20);
    $thumb = get_post_thumbnail_id($post);
    $related = array_filter(array_map('intval', explode(',', (string) get_post_meta($post->ID, 'ba_related', true))));
    $rows[] = [
        'url' => get_permalink($post),
        'post_id' => $post->ID,
        'title' => ba_text(get_the_title($post)),
        'published_at' => $post->post_date_gmt,
        'modified_at' => $post->post_modified_gmt,
        'author' => ['name' => $author->display_name, 'url' => get_author_posts_url($author->ID),
                     'bio' => ba_text($author->description) ?: null, 'slug' => $author->user_nicename],
        'tags' => array_map('ba_term_name', get_the_tags($post->ID) ?: []),
        'categories' => array_map('ba_term_name', get_the_category($post->ID) ?: []),
        // Block themes run the whole rendered template through wptexturize.
        'tags_texturized' => array_map('ba_text', array_map('wptexturize', array_map('ba_term_name', get_the_tags($post->ID) ?: []))),
        'categories_texturized' => array_map('ba_text', array_map('wptexturize', array_map('ba_term_name', get_the_category($post->ID) ?: []))),
        'body_html' => $body,
        'images' => array_merge($thumb ? [ba_image_of($thumb)] : [], ba_body_images($post)),
        'previous' => ($p = get_adjacent_post(false, '', true)) ? ba_link($p, 'previous') : null,
        'next' => ($n = get_adjacent_post(false, '', false)) ? ba_link($n, 'next') : null,
        'related' => array_map(fn ($id) => ba_link(get_post($id), 'related'), $related),
        'comment_count' => (int) get_comments_number($post),
        'old_slugs' => get_post_meta($post->ID, '_wp_old_slug'),
        'language' => get_bloginfo('language'),
    ];
}
$others = [home_url('/')];
foreach (get_pages() as $page) {
    $others[] = get_permalink($page);
}
foreach (get_posts(['post_type' => 'attachment', 'posts_per_page' => -1, 'post_status' => 'inherit']) as $a) {
    $others[] = get_attachment_link($a);
}
echo json_encode(['posts' => $rows, 'non_posts' => $others], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), "\n";
