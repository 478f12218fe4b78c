//! The articles, compiled from `content/*.md` by `build.rs`.

/// One compiled article.
#[derive(Debug)]
pub struct Article {
    pub slug: &'static str,
    pub title: &'static str,
    /// The one-line question the article answers.
    pub question: &'static str,
    pub summary: &'static str,
    pub order: u32,
    /// Estimated reading time.
    pub minutes: u32,
    pub toc: &'static [TocEntry],
    pub blocks: &'static [Block],
    pub sources: &'static [Source],
    /// One per `##` section, for talk mode.
    pub slides: &'static [Slide],
}

#[derive(Debug)]
pub struct TocEntry {
    pub level: u8,
    pub id: &'static str,
    pub text: &'static str,
}

/// A run of prose (HTML rendered at build time from trusted content) or a widget slot.
#[derive(Debug)]
pub enum Block {
    Html(&'static str),
    Widget { name: &'static str, query: &'static str },
}

#[derive(Debug)]
pub struct Source {
    pub author: &'static str,
    pub title: &'static str,
    pub venue: &'static str,
    pub year: u32,
    pub url: &'static str,
}

#[derive(Debug)]
pub struct Slide {
    pub title: &'static str,
    pub points: &'static [&'static str],
    pub notes: &'static str,
    pub widget: Option<(&'static str, &'static str)>,
}

include!(concat!(env!("OUT_DIR"), "/articles.rs"));

/// The article with this slug.
pub fn find(slug: &str) -> Option<(usize, &'static Article)> {
    ARTICLES.iter().enumerate().find(|(_, a)| a.slug == slug)
}
