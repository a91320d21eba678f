<?php
// Installs WordPress for one site of the fixture and loads its content through
// WordPress's own PHP API.  Usage: php setup.php CONTENT.json
define('WP_INSTALLING', true);
require __DIR__ . '/boot.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

$data = json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);
$blog = $data['blog'];
wp_install($blog['name'], 'admin', 'admin@example.org', true, '', wp_generate_password(), $blog['language']);

update_option('blogdescription', $blog['description']);
update_option('WPLANG', $blog['language']);
update_option('timezone_string', 'Europe/Berlin');
update_option('date_format', 'j. F Y');
update_option('time_format', 'G:i');
update_option('posts_per_page', 10);
update_option('thread_comments', 1);
update_option('thread_comments_depth', 5);
update_option('show_avatars', 0);
update_option('permalink_structure', $blog['permalink']);
switch_theme($blog['theme']);
wp_delete_post(1, true);   // "Hallo Welt!"
wp_delete_post(2, true);   // the sample page
wp_delete_comment(1, true);

$users = [];
foreach ($data['users'] as $u) {
    $users[$u['login']] = wp_insert_user([
        'user_login' => $u['login'], 'user_nicename' => $u['login'], 'user_pass' => wp_generate_password(),
        'user_email' => $u['login'] . '@example.org', 'display_name' => $u['name'], 'nickname' => $u['name'],
        'first_name' => $u['first'], 'last_name' => $u['last'], 'description' => $u['description'],
        'role' => 'author',
    ]);
}

function ba_image($spec, $parent, $date) {
    $dir = wp_upload_dir(substr($date, 0, 7) === '' ? null : str_replace('-', '/', substr($date, 0, 7)));
    wp_mkdir_p($dir['path']);
    $file = $dir['path'] . '/' . $spec['file'];
    $img = imagecreatetruecolor(480, 270);
    imagefill($img, 0, 0, imagecolorallocate($img, crc32($spec['file']) % 200, 90, 140));
    imagejpeg($img, $file, 70);
    $id = wp_insert_attachment([
        'post_title' => $spec['title'], 'post_excerpt' => $spec['caption'], 'post_mime_type' => 'image/jpeg',
        'post_status' => 'inherit', 'post_date' => $date,
    ], $file, $parent);
    update_post_meta($id, '_wp_attachment_image_alt', $spec['alt']);
    wp_update_attachment_metadata($id, wp_generate_attachment_metadata($id, $file));
    return $id;
}

function ba_image_block($id) {
    $caption = wp_get_attachment_caption($id);
    $figcaption = $caption ? '<figcaption class="wp-element-caption">' . esc_html($caption) . '</figcaption>' : '';
    return sprintf(
        "<!-- wp:image {\"id\":%d,\"sizeSlug\":\"full\"} -->\n<figure class=\"wp-block-image size-full\"><img src=\"%s\" alt=\"%s\" class=\"wp-image-%d\"/>%s</figure>\n<!-- /wp:image -->",
        $id, esc_url(wp_get_attachment_url($id)), esc_attr(get_post_meta($id, '_wp_attachment_image_alt', true)), $id, $figcaption
    );
}

$posts = [];
foreach ($data['posts'] as $p) {
    $id = wp_insert_post([
        'post_type' => 'post', 'post_status' => 'publish', 'post_title' => $p['title'],
        'post_name' => $p['old_slug'] ?? $p['slug'], 'post_content' => '', 'post_excerpt' => $p['excerpt'],
        'post_author' => $users[$p['author']], 'post_date' => $p['date'],
        'post_date_gmt' => get_gmt_from_date($p['date']), 'comment_status' => $p['comment_status'],
        'post_category' => [], 'tags_input' => $p['tags'],
    ], true);
    if (is_wp_error($id)) {
        fwrite(STDERR, $id->get_error_message() . "\n");
        exit(1);
    }
    $cats = [];
    foreach ($p['categories'] as $name) {
        $term = term_exists($name, 'category') ?: wp_insert_term($name, 'category');
        $cats[] = (int) $term['term_id'];
    }
    wp_set_post_categories($id, $cats);
    $content = $p['content'];
    foreach ($p['images'] as $n => $spec) {
        $image = ba_image($spec, $id, $p['date']);
        if ($n === 0) {
            set_post_thumbnail($id, $image);
        } else {
            $content = str_replace('%%IMAGE' . $n . '%%', ba_image_block($image), $content);
        }
    }
    wp_update_post(['ID' => $id, 'post_content' => $content, 'post_name' => $p['slug']]);
    if ($p['sticky']) {
        stick_post($id);
    }
    $comments = [];
    foreach ($p['comments'] as $c) {
        $comments[$c['key']] = wp_insert_comment([
            'comment_post_ID' => $id, 'comment_author' => $c['author'],
            'comment_author_email' => 'leser@example.org', 'comment_content' => $c['text'],
            'comment_date' => $c['date'], 'comment_date_gmt' => get_gmt_from_date($c['date']),
            'comment_approved' => $c['approved'] ? 1 : 0,
            'comment_parent' => $c['parent'] === null ? 0 : $comments[$c['parent']],
        ]);
    }
    $posts[$p['key']] = $id;
}
foreach ($data['posts'] as $p) {
    $id = $posts[$p['key']];
    if ($p['related']) {
        update_post_meta($id, 'ba_related', implode(',', array_map(fn ($k) => $posts[$k], $p['related'])));
    }
    $post = get_post($id);
    $local = $p['modified'] ?? $post->post_date;   // wp_update_post stamped "now": set the real time
    $wpdb->update($wpdb->posts, ['post_modified' => $local, 'post_modified_gmt' => get_gmt_from_date($local)], ['ID' => $id]);
    clean_post_cache($id);
}
foreach ($data['pages'] as $page) {
    wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => $page['title'],
                    'post_content' => $page['content'], 'post_author' => 1]);
}
// Classic themes: widgets in the sidebar that list tags, categories, posts and comments.
update_option('widget_tag_cloud', [2 => ['title' => 'Schlagwörter', 'taxonomy' => 'post_tag'], '_multiwidget' => 1]);
update_option('widget_categories', [2 => ['title' => 'Kategorien', 'count' => 1], '_multiwidget' => 1]);
update_option('widget_recent-posts', [2 => ['title' => 'Neueste Beiträge', 'number' => 5, 'show_date' => true], '_multiwidget' => 1]);
update_option('widget_recent-comments', [2 => ['title' => 'Neueste Kommentare', 'number' => 5], '_multiwidget' => 1]);
update_option('widget_archives', [2 => ['title' => 'Archiv'], '_multiwidget' => 1]);
update_option('sidebars_widgets', ['wp_inactive_widgets' => [], 'sidebar-1' => ['tag_cloud-2', 'categories-2', 'recent-posts-2', 'recent-comments-2', 'archives-2'], 'array_version' => 3]);
flush_rewrite_rules(false);
echo json_encode(['posts' => count($posts)]), "\n";
